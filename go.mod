module github.com/delphi-network/delphi

go 1.26

require google.golang.org/protobuf v1.36.12
