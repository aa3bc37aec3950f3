module example.invalid/app

go 1.22
