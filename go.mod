module github.com/delphi-network/delphi

go 1.26
