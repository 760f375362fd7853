package core

import (
	"strings"
	"unicode"

	"golang.org/x/crypto/bcrypt"

	"minyi"
	"minyi/api/labels"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// ValidatePassword is the password rule: at least 8 characters, with letters
// and digits. The message is for the user, in Chinese.
func ValidatePassword(pw string) error {
	var letter, digit bool
	for _, r := range pw {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	if len([]rune(pw)) < MinPasswordLength || !letter || !digit || strings.TrimSpace(pw) == "" {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("password.rule"))
	}
	return nil
}

// HashPassword checks pw against the rule and returns its bcrypt hash.
func HashPassword(pw string) (string, error) {
	if err := ValidatePassword(pw); err != nil {
		return "", err
	}
	if len(pw) > 72 {
		return "", minyi.Errorf(minyi.EINVALID, "%s", labels.T("password.too_long"))
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// CheckPassword tells whether pw matches hash; an empty hash matches nothing.
func CheckPassword(hash, pw string) bool {
	return hash != "" && bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// DummyHash is compared against when the login is unknown, so that an
// unknown name takes as long as a wrong password.
var DummyHash, _ = bcrypt.GenerateFromPassword([]byte("no-such-user-0"), bcrypt.DefaultCost)
