module example.com/facts/other

go 1.26
