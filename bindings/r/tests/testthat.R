library(testthat)
library(survkit)
test_check("survkit")
