#!/usr/bin/env python3
"""make_por.py: writes tests/data/readers/lung.por, an SPSS portable file holding the same table
as the other fixtures (make_readers_data.R): haven reads portable files but cannot write them, so
this script writes one by the format's rules (80-character lines; a character table; numbers in
base 30 ending in '/'; strings as a length then the text). From the repository root:
    python3 tests/data/readers/make_por.py > tests/data/readers/lung.por
Columns as in lung.sav: value labels on sex and ecog, variable labels, a string, dates (DATE11,
seconds since 1582-10-14), date-times (DATETIME20) and wt_loss's missing values coded -99 and
declared user-missing."""
import csv
import datetime
import sys

# The portable character set: code -> character (codes 0-63 unused here, shown as '0').
table = ['0'] * 256
for i in range(10):
    table[64 + i] = chr(ord('0') + i)
for i in range(26):
    table[74 + i] = chr(ord('A') + i)
    table[100 + i] = chr(ord('a') + i)
table[126] = ' '
for i, ch in enumerate('.<(+|&[]!$*);^-/'):
    table[127 + i] = ch
for i, ch in enumerate(',%_>?`:'):
    table[144 + i] = ch
for i, ch in enumerate("#@'="):
    table[152 + i] = ch
table[156] = '"'

DIGITS = '0123456789ABCDEFGHIJKLMNOPQRST'


def base30(n):
    s, m = '', abs(n)
    while True:
        s = DIGITS[m % 30] + s
        m //= 30
        if m == 0:
            break
    return ('-' if n < 0 else '') + s


def number(x):
    """x as the format writes it: an integer mantissa, then '-k' for x 30^-k, then '/'."""
    if x is None:
        return '*.'
    k = 0
    while x != int(x):
        x, k = x * 30, k + 1
    return base30(int(x)) + ('-' + base30(k) if k else '') + '/'


def string(s):
    return base30(len(s)) + '/' + s


def main():
    rows = list(csv.DictReader(open('datasets/lung.csv')))
    na = lambda v: None if v == 'NA' else float(v)
    day0 = (datetime.date(2001, 3, 15) - datetime.date(1970, 1, 1)).days
    sec0 = day0 * 86400 + 8 * 3600 + 30 * 60
    spss_days, spss_secs = lambda d: (d + 141428) * 86400, lambda s: s + 141428 * 86400
    F, DATE, DATETIME, A = 5, 20, 22, 1
    variables = [  # name, width (0 = number), format (type, width, decimals), label, value labels
        ('time', 0, (F, 8, 0), None, None), ('status', 0, (F, 8, 0), None, None),
        ('age', 0, (F, 8, 0), 'Age in years', None),
        ('sex', 0, (F, 8, 0), 'Sex of the patient', [(1, 'Male'), (2, 'Female'), (9, 'Unknown')]),
        ('ecog', 0, (F, 8, 0), 'ECOG performance score',
         [(0, 'asymptomatic'), (1, 'ambulatory'), (2, 'in bed <50%')]),
        ('karno', 0, (F, 8, 0), None, None), ('site', 5, (A, 5, 0), None, None),
        ('entry', 0, (DATE, 11, 0), None, None), ('exit', 0, (DATE, 11, 0), None, None),
        ('entry_dt', 0, (DATETIME, 20, 0), None, None), ('exit_dt', 0, (DATETIME, 20, 0), None, None),
        ('wt_loss', 0, (F, 8, 0), 'Weight loss (pounds)', None)]
    out = ''.join(s.ljust(40) for s in ['ASCII SPSS PORT FILE', 'survkit test fixture', '', '', ''])
    out += ''.join(table) + 'SPSSPORT'
    out += 'A' + string('20261203') + string('093400') + '1' + string('survkit make_por.py')
    out += '4' + number(len(variables)) + '5' + number(11)
    for name, width, fmt, label, _ in variables:
        out += '7' + number(width) + string(name) + ''.join(number(v) for v in fmt * 2)
        if name == 'wt_loss':
            out += '8' + number(-99)  # a declared missing value
        if label:
            out += 'C' + string(label)
    for name, _, _, _, labels in variables:
        if labels:
            out += 'D' + number(1) + string(name) + number(len(labels))
            out += ''.join(number(v) + string(t) for v, t in labels)
    out += 'F'
    for i, r in enumerate(rows, start=1):
        time = float(r['time'])
        entry = day0 + (i * 7) % 400
        entry_dt = sec0 + i * 3600.5
        wt = na(r['wt.loss'])
        values = [time, float(r['status']), float(r['age']), float(r['sex']), na(r['ph.ecog']),
                  na(r['ph.karno']), ['north', 'south', 'east'][i % 3], spss_days(entry),
                  spss_days(entry + time), spss_secs(entry_dt), spss_secs(entry_dt + time * 86400),
                  -99.0 if wt is None else wt]
        for v in values:
            out += string(v) if isinstance(v, str) else number(v)
    out += 'Z'
    lines = [out[k:k + 80] for k in range(0, len(out), 80)]
    lines[-1] = lines[-1].ljust(80, 'Z')
    sys.stdout.buffer.write(('\r\n'.join(lines) + '\r\n').encode('ascii'))


main()
