package server

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"time"

	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/token"
)

// keyStore serves token keys from the database, so every replica signs and
// verifies with the same keys.
type keyStore struct {
	st *sqlstore.Store
}

// ensureSigningKey creates the first signing key unless one exists.
func ensureSigningKey(ctx context.Context, st *sqlstore.Store) error {
	keys, err := st.SigningKeys(ctx)
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		return nil
	}
	priv, kid, err := token.GenerateKey()
	if err != nil {
		return fmt.Errorf("generating signing key: %w", err)
	}
	pem, err := token.MarshalKey(priv)
	if err != nil {
		return fmt.Errorf("encoding signing key: %w", err)
	}
	_, err = st.AddSigningKeyIfNone(ctx, sqlstore.SigningKey{KID: kid, PrivatePEM: string(pem), CreatedAt: time.Now().UTC()})
	return err
}

// SigningKey returns the newest stored key.
func (k keyStore) SigningKey(ctx context.Context) (*ecdsa.PrivateKey, string, error) {
	keys, err := k.st.SigningKeys(ctx)
	if err != nil {
		return nil, "", err
	}
	if len(keys) == 0 {
		return nil, "", fmt.Errorf("no signing key stored")
	}
	priv, kid, err := token.ParseKey([]byte(keys[0].PrivatePEM))
	if err != nil {
		return nil, "", fmt.Errorf("parsing signing key %s: %w", keys[0].KID, err)
	}
	return priv, kid, nil
}

// PublicKeys returns every stored key's public half.
func (k keyStore) PublicKeys(ctx context.Context) (map[string]*ecdsa.PublicKey, error) {
	keys, err := k.st.SigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*ecdsa.PublicKey, len(keys))
	for _, sk := range keys {
		priv, kid, err := token.ParseKey([]byte(sk.PrivatePEM))
		if err != nil {
			return nil, fmt.Errorf("parsing signing key %s: %w", sk.KID, err)
		}
		out[kid] = &priv.PublicKey
	}
	return out, nil
}
