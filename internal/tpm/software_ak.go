package tpm

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/big"
	"sync/atomic"
	"time"

	"github.com/google/go-tpm/tpm2"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// ownerHandle is TPM_RH_OWNER, the hierarchy the storage root key is in.
const ownerHandle = 0x40000001

// softwareSRKName is the TPM name the software TPM gives its storage root
// key, the parent of its AKs: SHA-256 name algorithm and a digest bound to
// the EK so every software TPM has its own.
func softwareSRKName(ek *rsa.PublicKey) []byte {
	h := sha256.New()
	h.Write([]byte("whiteglove software TPM storage root key\x00"))
	h.Write(ek.N.Bytes())
	return nameOf(h.Sum(nil))
}

// nameOf is a TPM name: the SHA-256 algorithm ID followed by the digest.
func nameOf(digest []byte) []byte {
	return append([]byte{byte(tpm2.TPMAlgSHA256 >> 8), byte(tpm2.TPMAlgSHA256)}, digest...)
}

// qualifiedName is QN(child) = nameAlg || H(QN(parent) || Name(child)).
func qualifiedName(parentQN, name []byte) []byte {
	h := sha256.New()
	h.Write(parentQN)
	h.Write(name)
	return nameOf(h.Sum(nil))
}

// softwareAK is an ECDSA P-256 restricted signing key of a software TPM.
type softwareAK struct {
	t      *softwareTPM
	key    *ecdsa.PrivateKey
	name   []byte // TPM name of the AK, the context of credential activation
	params wire.AttestationParameters
	closed atomic.Bool
}

// newSoftwareAK makes an AK as TPM2_Create would under the storage root
// key, and certifies its creation as TPM2_CertifyCreation would, the AK
// signing for itself.
func newSoftwareAK(t *softwareTPM) (*softwareAK, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("create attestation key: %w", err)
	}
	ecdhPub, err := key.PublicKey.ECDH()
	if err != nil {
		return nil, fmt.Errorf("create attestation key: %w", err)
	}
	raw := ecdhPub.Bytes() // 0x04 || X || Y
	pub := tpm2.TPMTPublic{
		Type:    tpm2.TPMAlgECC,
		NameAlg: tpm2.TPMAlgSHA256,
		ObjectAttributes: tpm2.TPMAObject{
			FixedTPM: true, FixedParent: true, SensitiveDataOrigin: true,
			UserWithAuth: true, NoDA: true, Restricted: true, SignEncrypt: true,
		},
		Parameters: tpm2.NewTPMUPublicParms(tpm2.TPMAlgECC, &tpm2.TPMSECCParms{
			Symmetric: tpm2.TPMTSymDefObject{Algorithm: tpm2.TPMAlgNull},
			Scheme: tpm2.TPMTECCScheme{
				Scheme:  tpm2.TPMAlgECDSA,
				Details: tpm2.NewTPMUAsymScheme(tpm2.TPMAlgECDSA, &tpm2.TPMSSigSchemeECDSA{HashAlg: tpm2.TPMAlgSHA256}),
			},
			CurveID: tpm2.TPMECCNistP256,
			KDF:     tpm2.TPMTKDFScheme{Scheme: tpm2.TPMAlgNull},
		}),
		Unique: tpm2.NewTPMUPublicID(tpm2.TPMAlgECC, &tpm2.TPMSECCPoint{
			X: tpm2.TPM2BECCParameter{Buffer: raw[1:33]},
			Y: tpm2.TPM2BECCParameter{Buffer: raw[33:65]},
		}),
	}
	n, err := tpm2.ObjectName(&pub)
	if err != nil {
		return nil, fmt.Errorf("create attestation key: name: %w", err)
	}
	name := n.Buffer

	ownerQN := binary.BigEndian.AppendUint32(nil, ownerHandle)
	srkQN := qualifiedName(ownerQN, t.srkName)
	emptyDigest := sha256.Sum256(nil)
	createData := tpm2.Marshal(&tpm2.TPMSCreationData{
		PCRSelect:           tpm2.TPMLPCRSelection{},
		PCRDigest:           tpm2.TPM2BDigest{Buffer: emptyDigest[:]},
		Locality:            tpm2.TPMALocality{TPMLocZero: true},
		ParentNameAlg:       tpm2.TPMAlgSHA256,
		ParentName:          tpm2.TPM2BName{Buffer: t.srkName},
		ParentQualifiedName: tpm2.TPM2BName{Buffer: srkQN},
		OutsideInfo:         tpm2.TPM2BData{},
	})
	creationHash := sha256.Sum256(createData)
	attestation := tpm2.Marshal(&tpm2.TPMSAttest{
		Magic:           tpm2.TPMGeneratedValue,
		Type:            tpm2.TPMSTAttestCreation,
		QualifiedSigner: tpm2.TPM2BName{Buffer: qualifiedName(srkQN, name)},
		ExtraData:       tpm2.TPM2BData{},
		ClockInfo: tpm2.TPMSClockInfo{
			Clock:        uint64(time.Since(t.born).Milliseconds()),
			ResetCount:   1, // as a TPM that has been reset once since TPM2_Clear
			RestartCount: 0,
			Safe:         true,
		},
		FirmwareVersion: uint64(softwareFirmware) << 32,
		Attested: tpm2.NewTPMUAttest(tpm2.TPMSTAttestCreation, &tpm2.TPMSCreationInfo{
			ObjectName:   tpm2.TPM2BName{Buffer: name},
			CreationHash: tpm2.TPM2BDigest{Buffer: creationHash[:]},
		}),
	})
	digest := sha256.Sum256(attestation)
	r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
	if err != nil {
		return nil, fmt.Errorf("certify attestation key creation: %w", err)
	}
	sig := tpm2.Marshal(&tpm2.TPMTSignature{
		SigAlg: tpm2.TPMAlgECDSA,
		Signature: tpm2.NewTPMUSignature(tpm2.TPMAlgECDSA, &tpm2.TPMSSignatureECC{
			Hash:       tpm2.TPMAlgSHA256,
			SignatureR: tpm2.TPM2BECCParameter{Buffer: fixed32(r)},
			SignatureS: tpm2.TPM2BECCParameter{Buffer: fixed32(s)},
		}),
	})
	return &softwareAK{t: t, key: key, name: name, params: wire.AttestationParameters{
		Public:            tpm2.Marshal(&pub),
		CreateData:        createData,
		CreateAttestation: attestation,
		CreateSignature:   sig,
	}}, nil
}

func fixed32(v *big.Int) []byte { return v.FillBytes(make([]byte, 32)) }

func (k *softwareAK) Parameters() wire.AttestationParameters { return k.params }

func (k *softwareAK) ActivateCredential(ctx context.Context, credential, secret []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if k.closed.Load() || k.t.closed.Load() {
		return nil, errClosed
	}
	out, err := activateCredential(k.t.ek, k.name, credential, secret)
	if err != nil {
		return nil, fmt.Errorf("activate credential: %w", err)
	}
	return out, nil
}

func (k *softwareAK) Close() error {
	k.closed.Store(true)
	return nil
}
