package tools

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSealedConfirmations(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	cf, err := NewConfirmer(ConfirmAuto)
	if err != nil {
		t.Fatal(err)
	}
	cf.Now = func() time.Time { return now }
	bind := binding("send", "team", "thread-1", "", "", "", "", "Hello")
	tok, nonce, exp := cf.seal(kindSend, bind, []byte("extra"))
	if !strings.HasPrefix(tok, tokenPrefix) || exp != now.Add(ConfirmTTL) || len(tok) > 80 {
		t.Fatalf("token %q (%d chars), expires %v", tok, len(tok), exp)
	}
	for name, try := range map[string]func() error{
		"other text": func() error {
			_, _, err := cf.open(tok, kindSend, binding("send", "team", "thread-1", "", "", "", "", "Hello!"))
			return err
		},
		"other team": func() error {
			_, _, err := cf.open(tok, kindSend, binding("send", "team2", "thread-1", "", "", "", "", "Hello"))
			return err
		},
		"other kind":          func() error { _, _, err := cf.open(tok, kindBulk, bind); return err },
		"as a dialog's state": func() error { _, _, err := cf.openState(tok, kindSend, bind); return err },
		"as a dialog's state, prefix swapped": func() error {
			_, _, err := cf.openState(statePrefix+strings.TrimPrefix(tok, tokenPrefix), kindSend, bind)
			return err
		},
		"flipped byte": func() error { _, _, err := cf.open(tok[:20]+string(tok[20]^1)+tok[21:], kindSend, bind); return err },
		"truncated":    func() error { _, _, err := cf.open(tok[:len(tok)-4], kindSend, bind); return err },
		"no prefix":    func() error { _, _, err := cf.open(strings.TrimPrefix(tok, tokenPrefix), kindSend, bind); return err },
		"empty":        func() error { _, _, err := cf.open("", kindSend, bind); return err },
	} {
		if err := try(); !errors.Is(err, errSealMismatch) {
			t.Errorf("%s: err = %v, want a mismatch", name, err)
		}
	}
	// Nor does a dialog's state open as a confirm_token.
	state, _, _ := cf.sealState(kindSend, bind, nil)
	for _, st := range []string{state, tokenPrefix + strings.TrimPrefix(state, statePrefix)} {
		if _, _, err := cf.open(st, kindSend, bind); !errors.Is(err, errSealMismatch) {
			t.Errorf("a dialog's state %q opened as a confirm_token: %v", st[:8], err)
		}
	}
	other, _ := NewConfirmer(ConfirmAuto)
	if _, _, err := other.open(tok, kindSend, bind); !errors.Is(err, errSealMismatch) {
		t.Errorf("another process's key opened the token: %v", err)
	}
	// The attempts above did not use it up: it opens once, then never again.
	n, extra, err := cf.open(tok, kindSend, bind)
	if err != nil || n != nonce || !bytes.Equal(extra, []byte("extra")) {
		t.Fatalf("open: %v, nonce %x, extra %q", err, n, extra)
	}
	if _, _, err := cf.open(tok, kindSend, bind); !errors.Is(err, errSealUsed) {
		t.Fatalf("second open: %v, want already used", err)
	}

	// Expiry, and used nonces are forgotten once their tokens expired.
	tok2, _, _ := cf.seal(kindSend, bind, nil)
	now = now.Add(ConfirmTTL)
	if _, _, err := cf.open(tok2, kindSend, bind); !errors.Is(err, errSealExpired) {
		t.Fatalf("at expiry: %v", err)
	}
	tok3, _, _ := cf.seal(kindSend, bind, nil)
	if _, _, err := cf.open(tok3, kindSend, bind); err != nil {
		t.Fatal(err)
	}
	cf.mu.Lock()
	kept := len(cf.used)
	cf.mu.Unlock()
	if kept != 1 {
		t.Fatalf("%d used nonces kept; the expired one should be gone", kept)
	}
}

func TestBindingIsUnambiguous(t *testing.T) {
	t.Parallel()
	if bytes.Equal(binding("ab", "c"), binding("a", "bc")) || bytes.Equal(binding("a", ""), binding("a")) {
		t.Fatal("different parts hash alike")
	}
}

func TestParseConfirmPolicy(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]ConfirmPolicy{"": ConfirmAuto, "auto": ConfirmAuto, " Token ": ConfirmToken, "elicit": ConfirmElicit, "off": ConfirmOff} {
		if got, err := ParseConfirmPolicy(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseConfirmPolicy("never"); err == nil || !strings.Contains(err.Error(), "auto") {
		t.Errorf("unknown policy: %v", err)
	}
}
