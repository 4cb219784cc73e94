# make_golden_collate.R: R's sort() of strings that differ in case, punctuation, digits, accents,
# spaces, ligatures and script, in this session's collation (Debian's R: ICU, root rules, under
# C.UTF-8 or en_US.UTF-8) and with LC_COLLATE=C (bytes), for tests/unit/test_collate.c.
# Writes tests/golden/collate/strings.txt (input, sorted_utf8, sorted_c; UTF-8 text).
out_dir <- "tests/golden/collate"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
u <- function(...) intToUtf8(c(...))
strings <- c(
  "female", "X-linked", "<=20", "20-50", "b", "B", "a_b", "ab", u(0xE9), "e",
  "a b", "a-b", "a.b", "A", "a", "Ab", "AB", "aB", "10", "9", "1", "01", "1.5", "1,5",
  paste0("zo", u(0xEB)), "Zoe", "zoe", paste0(u(0xC9), "ric"), "Eric", "eric",
  paste0(u(0xE6), "on"), "aeon", "Aeon", paste0("stra", u(0xDF), "e"), "strasse", "Strasse",
  paste0("caf", u(0xE9)), "cafe", paste0("Caf", u(0xE9)), paste0(u(0xD1), "and", u(0xFA)), "nandu",
  paste0(u(0xD8), "degaard"), "Odegaard", paste0(u(0x141), u(0xF3), "d", u(0x17A)), "Lodz",
  paste0("na", u(0xEF), "ve"), "naive", " lead", "trailing ", "x(1)", "x[1]", "x{1}", "#1", "%1",
  "$1", paste0(u(0x20AC), "1"), paste0(u(0xA3), "1"), "+1", "-1", "~1", "'q'", "\"q\"", "q?", "q!",
  u(0x131), "i", "I", u(0x130), paste0(u(0xFE), "orn"), "thorn", "zebra", "Zebra", "ZEBRA",
  paste0(u(0xB5), "g"), "mg", u(0xBD), "1/2", u(0xB9), paste0(u(0xC4), "rger"), "Arger", "arger",
  u(0xC4), u(0x104), u(0x105), u(0x100), u(0x3B1), u(0x3A9), u(0x3C9), u(0x416, 0x443, 0x43A),
  u(0x436, 0x443, 0x43A), u(0x65E5, 0x672C), "<65", ">65", "65+", "65-74", "under 65", "Under65",
  "N/A", "n.a.", "none", "None", "NONE", "grade I", "grade II", "grade III", "grade IV",
  "stage 1a", "stage 1A", "stage 1b", "stage 10", "stage 2", "T1", "T1a", "T1b", "T2",
  "O'Brien", "Obrien", "O Brien", "McDonald", "Mcdonald", "MacDonald", "de la Cruz", "De La Cruz",
  "Delacruz", "co-op", "coop", "co op", "x_1", "x.1", "x1", "X1", "x-1", "@home", "&co", "*star",
  "/path", "\\back", "^up", "`tick", "|bar", "=eq", paste0(u(0x2013), "dash"), paste0(u(0x2014), "em"),
  paste0(u(0x201C), "quote", u(0x201D)), paste0(u(0x2018), "s"), paste0(u(0x2026), "more"),
  paste0("very", u(0xA0), "close"), "very close", paste0("\u0153", "uvre"), "oeuvre", "Oeuvre",
  paste0("ni", u(0xF1), "o"), "nino", "Nino", paste0(u(0xE7), "a"), "ca", "Ca", u(0xE5), "aa",
  paste0(u(0x11F), "a"), paste0(u(0x15F), "a"), "sa", paste0(u(0x161), "a"), paste0(u(0x17E), "a"), "za")
stopifnot(!anyDuplicated(strings))
old <- Sys.getlocale("LC_COLLATE")
utf8 <- sort(strings)
Sys.setlocale("LC_COLLATE", "C")
c_order <- sort(strings)
Sys.setlocale("LC_COLLATE", old)
golden_write(file.path(out_dir, "strings.txt"),
             list(locale = old, icu = as.character(capabilities("ICU")), input = strings,
                  sorted_utf8 = utf8, sorted_c = c_order),
             c("sort(strings)  # LC_COLLATE as the session has it (Debian: ICU root)",
               "Sys.setlocale('LC_COLLATE', 'C'); sort(strings)"))
