package s3

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cachegen/cachegen/backends"
)

// ErrNoBucket is returned (wrapped) when the store's bucket does not exist.
var ErrNoBucket = errors.New("bucket does not exist")

// ErrAccessDenied is returned (wrapped) when the server refuses the
// credentials or their permissions. The credentials themselves are never
// part of an error.
var ErrAccessDenied = errors.New("access denied: credentials refused or not allowed (check the AWS credential chain: AWS_ACCESS_KEY_ID, AWS_PROFILE, ...)")

// op is the kind of request an error came from; a bare HTTP status means
// different things for different requests.
type op int

const (
	opGet op = iota
	opHead
	opPut
	opDelete
	opList
	opHeadBucket
)

// classify maps an SDK error to the backends sentinels (ErrNotFound,
// ErrPrecondition) or to ErrNoBucket and ErrAccessDenied, keeping the
// original error in the chain.
func classify(err error, o op) error {
	var api smithy.APIError
	code := ""
	if errors.As(err, &api) {
		code = api.ErrorCode()
	}
	status := 0
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	switch {
	case code == "NoSuchBucket" || o == opHeadBucket && (code == "NotFound" || status == http.StatusNotFound):
		return fmt.Errorf("%w: %w", ErrNoBucket, err)
	case code == "NoSuchKey" || (code == "NotFound" || status == http.StatusNotFound) && o != opList && o != opHeadBucket:
		return fmt.Errorf("%w: %w", backends.ErrNotFound, err)
	case code == "PreconditionFailed" || code == "ConditionalRequestConflict" ||
		status == http.StatusPreconditionFailed || o == opPut && status == http.StatusConflict && code == "":
		return fmt.Errorf("%w: %w", backends.ErrPrecondition, err)
	case code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "AccessDenied" ||
		code == "ExpiredToken" || code == "InvalidToken" || status == http.StatusForbidden:
		return fmt.Errorf("%w: %w", ErrAccessDenied, err)
	}
	return err
}
