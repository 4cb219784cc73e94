# tutorial_blocks.awk: split docs/tutorial.md into its command blocks and their printed output.
# Every ```sh block is one step: written to DIR/NNN.sh. The ```text block that follows it (only
# blank lines between) is what the step prints on standard output: DIR/NNN.out; a step with no
# such block must print nothing (DIR/NNN.out is empty). Usage: awk -v dir=DIR -f this FILE
function flush_out() { if (n > 0 && !(n in has_out)) { printf "" > sprintf("%s/%03d.out", dir, n); has_out[n] = 1 } }
/^```sh[ \t]*$/   { flush_out(); n++; inblk = "sh"; f = sprintf("%s/%03d.sh", dir, n); printf "" > f; next }
/^```text[ \t]*$/ { if (n > 0 && last == "sh" && !(n in has_out)) { inblk = "text"; f = sprintf("%s/%03d.out", dir, n); printf "" > f; has_out[n] = 1 } else { inblk = "other" } ; next }
/^```/            { if (inblk != "") { last = (inblk == "other") ? "" : inblk; inblk = "" } else { inblk = "other"; last = "" } ; next }
inblk == "sh" || inblk == "text" { print > f; next }
inblk == "other" { next }
/^[ \t]*$/ { next }
{ last = "" }
END { flush_out(); print n > (dir "/count") }
