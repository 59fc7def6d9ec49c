package authz

import "testing"

func TestPolicy(t *testing.T) {
	var zero Policy
	if zero.Allows(AdminRoles) {
		t.Fatal("the zero policy must admit nobody")
	}
	if !Public().Allows(nil) {
		t.Fatal("public must admit anonymous callers")
	}
	if WriteUsers.Allows([]string{UserRead}) {
		t.Fatal("read role must not write users")
	}
	if !WriteUsers.Allows([]string{GroupRead, UserReadWrite}) {
		t.Fatal("UserReadWrite must write users")
	}
	if WriteUsers.Allows(TokenRoles([]string{PersonTechnician})) {
		t.Fatal("technicians must not change users")
	}
}

func TestTokenRoles(t *testing.T) {
	got := TokenRoles([]string{PersonAdmin, PersonAdmin, "nonsense"})
	if len(got) != len(AdminRoles) {
		t.Fatalf("admin roles = %d, want %d", len(got), len(AdminRoles))
	}
	if got := TokenRoles([]string{PersonTechnician}); len(got) != 1 || got[0] != Technician {
		t.Fatalf("technician roles = %v", got)
	}
	if got := TokenRoles(nil); len(got) != 0 {
		t.Fatalf("no roles = %v", got)
	}
}
