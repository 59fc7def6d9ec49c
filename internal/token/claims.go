package token

import (
	"encoding/json"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// GraphAudience is the aud of every token this service mints.
const GraphAudience = "https://graph.microsoft.com"

// GraphAppID is Microsoft Graph's well-known application id, which Verify
// also accepts as an audience.
const GraphAppID = "00000003-0000-0000-c000-000000000000"

// Claims is what Verify learned from a valid token.
type Claims struct {
	// Issuer is the iss claim, "{issuerBase}/{tenantId}/v2.0".
	Issuer string
	// Audience is the aud claim.
	Audience string
	// TenantID is the tid claim.
	TenantID string
	// ObjectID is the oid claim (also sub).
	ObjectID string
	// Subject is the sub claim.
	Subject string
	// AppID is the client the token was issued to (appid / azp).
	AppID string
	// UPN is the user principal name (users only).
	UPN string
	// Name is the name claim (users only); this service puts the UPN there,
	// as Principal carries no display name.
	Name string
	// IDType is "app" or "user" (idtyp).
	IDType string
	// Roles is the roles claim.
	Roles []string
	// Scopes is the scp claim split on spaces (users only).
	Scopes []string
	// TokenID is the jti claim.
	TokenID string
	// IssuedAt is the iat claim.
	IssuedAt time.Time
	// NotBefore is the nbf claim.
	NotBefore time.Time
	// Expiry is the exp claim.
	Expiry time.Time
}

// wireClaims is the JWT payload as serialised; it satisfies jwt.Claims.
type wireClaims struct {
	Aud   audience         `json:"aud"`
	Iss   string           `json:"iss"`
	Iat   *jwt.NumericDate `json:"iat"`
	Nbf   *jwt.NumericDate `json:"nbf"`
	Exp   *jwt.NumericDate `json:"exp"`
	AppID string           `json:"appid,omitempty"`
	Azp   string           `json:"azp,omitempty"`
	IDTyp string           `json:"idtyp"`
	Name  string           `json:"name,omitempty"`
	OID   string           `json:"oid"`
	Roles []string         `json:"roles,omitempty"`
	Scp   string           `json:"scp,omitempty"`
	Sub   string           `json:"sub"`
	Tid   string           `json:"tid"`
	UPN   string           `json:"upn,omitempty"`
	JTI   string           `json:"jti"`
	Ver   string           `json:"ver"`
}

func (c *wireClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.Exp, nil }
func (c *wireClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.Iat, nil }
func (c *wireClaims) GetNotBefore() (*jwt.NumericDate, error)      { return c.Nbf, nil }
func (c *wireClaims) GetIssuer() (string, error)                   { return c.Iss, nil }
func (c *wireClaims) GetSubject() (string, error)                  { return c.Sub, nil }
func (c *wireClaims) GetAudience() (jwt.ClaimStrings, error)       { return jwt.ClaimStrings(c.Aud), nil }

// audience is the aud claim: written as a plain string when single (as Entra
// does), read from either a string or an array of strings.
type audience []string

func (a audience) MarshalJSON() ([]byte, error) {
	if len(a) == 1 {
		return json.Marshal(a[0])
	}
	return json.Marshal([]string(a))
}

func (a *audience) UnmarshalJSON(b []byte) error {
	var cs jwt.ClaimStrings
	if err := cs.UnmarshalJSON(b); err != nil {
		return err
	}
	*a = audience(cs)
	return nil
}
