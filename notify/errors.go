package notify

import "minyi"

// failure marks a delivery error as permanent or retryable.
type failure struct {
	err       error
	permanent bool
}

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func permanent(err error) error { return &failure{err: err, permanent: true} }
func retryable(err error) error { return &failure{err: err} }

// Permanent reports whether retrying err cannot help: a 4xx answer, a robot's
// errcode for a bad token or signature, an SMTP 5xx reply, or bad
// configuration (minyi.EINVALID). Network errors, timeouts, 5xx, 429 and
// rate-limit errcodes are not permanent. A joined error (Multi) is permanent
// only if every part is, because one retryable destination is worth a retry.
func Permanent(err error) bool {
	for err != nil {
		switch e := err.(type) {
		case *failure:
			return e.permanent
		case *minyi.Error:
			return e.Code == minyi.EINVALID
		case interface{ Unwrap() []error }:
			parts := e.Unwrap()
			for _, p := range parts {
				if !Permanent(p) {
					return false
				}
			}
			return len(parts) > 0
		case interface{ Unwrap() error }:
			err = e.Unwrap()
		default:
			return false
		}
	}
	return false
}
