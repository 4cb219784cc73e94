# make_golden_tvc.R: R's survSplit and tmerge, written with write.csv(row.names = FALSE), which
# survkit split and survkit tmerge must reproduce byte for byte. Sourced by tests/golden/make_golden.R
# (run from the repository root); writes tests/golden/tvc/input/*.csv (small hand-made inputs with the
# edge cases: cuts on event times, tied times, a missing status, ids without events, events before,
# on and after follow-up, unknown ids, ids in any order) and tests/golden/tvc/*.csv (R's outputs).
# Every output file's first lines are not comments (they are R's CSV); the R call of each file is
# listed in tests/golden/tvc/CALLS.txt.
suppressPackageStartupMessages(library(survival))
out_dir <- "tests/golden/tvc"
dir.create(file.path(out_dir, "input"), showWarnings = FALSE, recursive = TRUE)
calls <- character()
# survkit reads "" as missing, as read.csv(na.strings = c("NA", "")) does.
rd <- function(path) read.csv(path, na.strings = c("NA", ""))
wr <- function(x, name, call) {
  write.csv(as.data.frame(x), file.path(out_dir, name), row.names = FALSE)
  calls <<- c(calls, paste0(name, ": ", call))
}

# ---------------------------------------------------------------- inputs with edge cases
edge <- data.frame(
  id = c(1, 2, 3, 4, 5, 6, 7, 8),
  grp = c("a", "b \"quoted\"", "c,d", "a", "b \"quoted\"", "a", NA, "c,d"),
  x = c(0.1 + 0.2, 1/3, NA, 200000, -2.5, 1e-20, 123456.75, 7),
  time = c(30, 60, 60, 100000, 45.5, 90, 15, 60),
  status = c(1, 0, 1, 1, NA, 1, 0, 1))
write.csv(edge, file.path(out_dir, "input", "split_edge.csv"), row.names = FALSE)
counting <- data.frame(
  id = c(1, 1, 2, 3, 3, 3),
  start = c(0, 20, 0, 0, 10, 55),
  stop = c(20, 70, 30, 10, 55, 61),
  event = c(0, 1, 1, 0, 0, 2) > 0, # TRUE/FALSE: a logical status
  z = c(1.5, 1.5, 2, 3, 3, 3))
write.csv(counting, file.path(out_dir, "input", "split_counting.csv"), row.names = FALSE)
# Doubles of every size, for write.csv's 15-digit layout (fixed unless scientific is shorter).
set.seed(23)
mag <- 10^sample(-9:20, 300, replace = TRUE)
numbers <- data.frame(time = 1:330, status = rep(c(1, 0), 165),
                      v = c(runif(300) * mag * sample(c(-1, 1), 300, replace = TRUE),
                            1e5, 123456, 1e15, 1e16, 1e-5, 1e-4, 0.1 + 0.2, 1/3, 2/3 * 1e10, -0.000123,
                            99999.5, 100000.5, 1e300, 1.5e-300, 123456789012345, 1234567890123456,
                            0.1, 1e22, 3e-7, 7e12, 4.5, -1e5, 1e5 + 0.25, 2^53, 2^31, -2^31,
                            314159.26535, 0.00012345, 1e100, 12345678.9))
write.csv(numbers, file.path(out_dir, "input", "split_numbers.csv"), row.names = FALSE)

# ---------------------------------------------------------------- survSplit
sp <- function(name, file, formula, cut, cut_text) {
  d <- rd(file)
  s <- survSplit(as.formula(formula), data = d, cut = cut, episode = "episode", start = "tstart")
  wr(s, name, sprintf("survSplit(%s, data = read.csv('%s', na.strings = c('NA', '')), cut = %s, episode = 'episode', start = 'tstart')",
                      formula, file, cut_text))
}
sp("split_veteran.csv", "datasets/veteran.csv", "Surv(time, status) ~ .", c(180, 30, 90, 30),
   "c(180, 30, 90, 30)")
sp("split_lung.csv", "datasets/lung.csv", "Surv(time, status) ~ .", c(100, 200.5, 365, 730),
   "c(100, 200.5, 365, 730)")
sp("split_aml_rhs.csv", "datasets/aml.csv", "Surv(time, status) ~ x", c(12, 5, 28), "c(12, 5, 28)")
sp("split_edge.csv", file.path(out_dir, "input", "split_edge.csv"), "Surv(time, status) ~ .",
   c(60, 30, 45.5, 1e6, -5), "c(60, 30, 45.5, 1e6, -5)")
sp("split_counting.csv", file.path(out_dir, "input", "split_counting.csv"),
   "Surv(start, stop, event) ~ .", c(50, 10, 30), "c(50, 10, 30)")
sp("split_numbers.csv", file.path(out_dir, "input", "split_numbers.csv"), "Surv(time, status) ~ .",
   c(100.5, 200), "c(100.5, 200)")
sp("split_lung_expr.csv", "datasets/lung.csv", "Surv(time/7, status == 2) ~ .", c(10, 20), "c(10, 20)")
sp("split_bladder2.csv", "datasets/bladder2.csv", "Surv(start, stop, event) ~ .", c(5, 10, 20),
   "c(5, 10, 20)")
# --cut-quantiles K: cuts at R's quantile(type 7) of the event times at (1:(K-1))/K.
vet <- rd("datasets/veteran.csv")
q <- unname(quantile(vet$time[vet$status == 1], probs = (1:3) / 4))
s <- survSplit(Surv(time, status) ~ ., data = vet, cut = q, episode = "episode", start = "tstart")
wr(s, "split_veteran_q4.csv",
   "survSplit(Surv(time, status) ~ ., data = vet, cut = quantile(vet$time[vet$status == 1], (1:3)/4), episode = 'episode', start = 'tstart')")
lung <- rd("datasets/lung.csv")
q <- unname(quantile(lung$time[lung$status == 2], probs = (1:4) / 5))
s <- survSplit(Surv(time, status) ~ ., data = lung, cut = q, episode = "episode", start = "tstart")
wr(s, "split_lung_q5.csv",
   "survSplit(Surv(time, status) ~ ., data = lung, cut = quantile(lung$time[lung$status == 2], (1:4)/5), episode = 'episode', start = 'tstart')")

# ---------------------------------------------------------------- tmerge
# Base: ids in no particular order, one of them (9) with no event at all; string column with a quote.
base <- data.frame(id = c(3, 1, 9, 2, 5), arm = c("x", "y", "x \"q\"", "y", "x"),
                   age = c(40.5, 31, 77, 52.25, 18), futime = c(100, 50, 80, 120, 60))
write.csv(base, file.path(out_dir, "input", "tm_base.csv"), row.names = FALSE)
# Dated events, ids in any order: within follow-up, on a boundary (a previous split), at time 0
# (leading edge), at the end of follow-up, after it, before 0, tied times for one id, an id (42)
# not in the base, a missing time and a missing value.
ev <- data.frame(id = c(1, 3, 3, 2, 42, 1, 5, 3, 2, 2, 5, 1, 3, 2),
                 day = c(20, 30, 30, 0, 10, 50, 70, 60, -5, 60, NA, 20, 100, 60),
                 dose = c(2, 1, 4, 1, 1, 3, 2, NA, 5, 1.5, 1, 1, 2, 0.5))
write.csv(ev, file.path(out_dir, "input", "tm_events.csv"), row.names = FALSE)
visits <- data.frame(id = c(2, 1, 5, 5, 3, 2),
                     vday = c(60, 10, 30, 60, 75, 119.5),
                     place = c("home", "foster", "home", "kin", "home", "foster"))
write.csv(visits, file.path(out_dir, "input", "tm_visits.csv"), row.names = FALSE)

tm_call <- function(tm, ev, idname, kind, name, time, value = NULL) {
  fun <- if (is.null(value)) call(kind, as.name(time)) else call(kind, as.name(time), as.name(value))
  cl <- as.call(c(list(as.name("tmerge"), quote(tm), quote(ev), id = as.name(idname)),
                  setNames(list(fun), name)))
  eval(cl)
}
run_tm <- function(name, steps) {
  b <- rd(file.path(out_dir, "input", "tm_base.csv"))
  tm <- tmerge(b, b, id = id, tstop = futime)
  text <- "tm <- tmerge(base, base, id = id, tstop = futime)"
  for (s in steps) {
    e <- rd(file.path(out_dir, "input", s$file))
    tm <- suppressWarnings(tm_call(tm, e, "id", s$kind, s$name, s$time, s$value))
    text <- c(text, sprintf("tm <- tmerge(tm, read.csv('%s'), id = id, %s = %s(%s))", s$file,
                            s$name, s$kind, paste(c(s$time, s$value), collapse = ", ")))
  }
  wr(tm, name, paste(text, collapse = "; "))
}
st <- function(kind, name, file, time, value = NULL)
  list(kind = kind, name = name, file = file, time = time, value = value)
run_tm("tmerge_base.csv", list())
run_tm("tmerge_event.csv", list(st("event", "ev", "tm_events.csv", "day")))
run_tm("tmerge_event_value.csv", list(st("event", "ev", "tm_events.csv", "day", "dose")))
run_tm("tmerge_cumevent.csv", list(st("cumevent", "nev", "tm_events.csv", "day")))
run_tm("tmerge_tdc.csv", list(st("tdc", "treated", "tm_events.csv", "day")))
run_tm("tmerge_tdc_value.csv", list(st("tdc", "dose", "tm_events.csv", "day", "dose")))
run_tm("tmerge_cumtdc.csv", list(st("cumtdc", "total", "tm_events.csv", "day", "dose")))
run_tm("tmerge_tdc_string.csv", list(st("tdc", "place", "tm_visits.csv", "vday", "place")))
run_tm("tmerge_chain.csv",
       list(st("tdc", "place", "tm_visits.csv", "vday", "place"),
            st("event", "ev", "tm_events.csv", "day"),
            st("cumtdc", "total", "tm_events.csv", "day", "dose"),
            st("tdc", "visited", "tm_visits.csv", "vday"),
            st("cumevent", "nev", "tm_events.csv", "day"),
            st("tdc", "visited", "tm_events.csv", "day")))
# names of base columns: a tdc replaces 'age' in place (R warns), an event replaces 'arm' silently
run_tm("tmerge_replace.csv",
       list(st("tdc", "age", "tm_events.csv", "day", "dose"), st("event", "arm", "tm_events.csv", "day")))
writeLines(calls, file.path(out_dir, "CALLS.txt"))

# ---------------------------------------------------------------- numbers for tests/unit/test_tvc.c
source("tests/golden/golden_io.R")
vet <- rd("datasets/veteran.csv")
lung <- rd("datasets/lung.csv")
golden_write(file.path(out_dir, "numbers.txt"),
             list(veteran_q4 = unname(quantile(vet$time[vet$status == 1], probs = (1:3) / 4)),
                  lung_q5 = unname(quantile(lung$time[lung$status == 2], probs = (1:4) / 5)),
                  lung_q7 = unname(quantile(lung$time[lung$status == 2], probs = (1:6) / 7)),
                  lung_landmark_100_n = nrow(subset(lung, time > 100)),
                  lung_landmark_100_time_sum = sum(subset(lung, time > 100)$time - 100),
                  bladder2_landmark_10_n = nrow(subset(rd("datasets/bladder2.csv"), stop > 10)),
                  bladder2_landmark_10_start_sum = with(subset(rd("datasets/bladder2.csv"), stop > 10),
                                                        sum(pmax(start, 10) - 10))),
             c("quantile(vet$time[vet$status == 1], probs = (1:3)/4)  # vet <- read.csv('datasets/veteran.csv')",
               "quantile(lung$time[lung$status == 2], probs = (1:4)/5); ... probs = (1:6)/7  # lung <- read.csv('datasets/lung.csv')",
               "nrow(subset(lung, time > 100)); sum(subset(lung, time > 100)$time - 100)",
               "b <- read.csv('datasets/bladder2.csv'); nrow(subset(b, stop > 10)); sum(pmax(subset(b, stop > 10)$start, 10) - 10)"))
