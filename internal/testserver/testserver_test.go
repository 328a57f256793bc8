package testserver

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestServersStart(t *testing.T) {
	s := StartS3(t)
	s.CreateBucket(t, "probe")
	_, err := s.Client().PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("probe"), Key: aws.String("k"), Body: strings.NewReader("v")})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	g := StartGCS(t)
	g.CreateBucket(t, "probe")
}
