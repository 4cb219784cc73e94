# make_readers_data.R: the reader fixtures in tests/data/readers/, written by R's haven from the
# committed datasets/lung.csv (run from the repository root: Rscript tests/data/readers/make_readers_data.R).
# One data frame, `lab`, carries what the readers must understand: value labels (with a label no row
# uses, and a value no label names), variable labels, SPSS user-defined missing values, Stata
# extended missing values, a string column, dates and date-times. It is written as SPSS (.sav,
# .zsav), Stata (.dta, versions 8 to 15), SAS (.xpt v5 and v8, .sas7bdat) and as compressed CSV.
# haven cannot write SPSS portable files: lung.por is written by make_por.py from the same data.
suppressPackageStartupMessages(library(haven))
out <- "tests/data/readers"
lung <- read.csv("datasets/lung.csv")
n <- nrow(lung)
entry <- as.Date("2001-03-15") + (seq_len(n) * 7L) %% 400L
entry_dt <- as.POSIXct("2001-03-15 08:30:00", tz = "UTC") + seq_len(n) * 3600.5
lab <- data.frame(time = lung$time, status = lung$status, age = lung$age)
lab$sex <- labelled(lung$sex, c(Male = 1, Female = 2, Unknown = 9), label = "Sex of the patient")
lab$ecog <- labelled(lung$ph.ecog, c(asymptomatic = 0, ambulatory = 1, "in bed <50%" = 2),
                     label = "ECOG performance score")
lab$karno <- lung$ph.karno
lab$site <- c("north", "south", "east")[seq_len(n) %% 3 + 1]
lab$entry <- entry
lab$exit <- entry + lung$time
lab$entry_dt <- entry_dt
lab$exit_dt <- entry_dt + lung$time * 86400
attr(lab$age, "label") <- "Age in years"

# SPSS: a missing weight loss is coded -99, declared user-missing (haven reads it as NA). It has no
# value labels: a labelled column would be a factor.
sav <- lab
sav$wt_loss <- labelled_spss(ifelse(is.na(lung$wt.loss), -99, lung$wt.loss),
                             na_values = -99, label = "Weight loss (pounds)")
write_sav(sav, file.path(out, "lung.sav"))
write_sav(sav, file.path(out, "lung.zsav"), compress = "zsav")

# Stata: a missing weight loss is the extended missing value .a (haven's tagged_na("a")).
dta <- lab
dta$wt_loss <- ifelse(is.na(lung$wt.loss), tagged_na("a"), lung$wt.loss)
attr(dta$wt_loss, "label") <- "Weight loss (pounds)"
write_dta(dta, file.path(out, "lung.dta"))                 # version 14 (haven's default)
for (v in c(8, 11, 13, 15)) write_dta(dta, file.path(out, sprintf("lung_v%d.dta", v)), version = v)

# SAS: no value labels in transport files; a missing weight loss is a plain missing value.
xpt <- lab
xpt$sex <- zap_labels(xpt$sex)
xpt$ecog <- zap_labels(xpt$ecog)
xpt$wt_loss <- lung$wt.loss
names(xpt)[names(xpt) == "entry_dt"] <- "entrydt"
names(xpt)[names(xpt) == "exit_dt"] <- "exitdt"
write_xpt(xpt, file.path(out, "lung.xpt"), version = 5)
write_xpt(xpt, file.path(out, "lung_v8.xpt"), version = 8)
suppressWarnings(write_sas(xpt, file.path(out, "lung.sas7bdat")))

# Compressed CSV: datasets/lung.csv itself, gzip'ed and zstd'ed by the command-line tools
# (run from the shell, as R has no zstd writer):
#   gzip -9 -n -c datasets/lung.csv > tests/data/readers/lung.csv.gz
#   tr ',' '\t' < datasets/lung.csv | gzip -9 -n -c > tests/data/readers/lung.tsv.gz
#   zstd -19 -q -c datasets/lung.csv > tests/data/readers/lung.csv.zst
