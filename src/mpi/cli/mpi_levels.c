/*
 * mpi_levels.c: the parts' tables made one: the headers (names and kinds of the columns) must
 * agree with rank 0's, else every rank stops; a text column's levels become the union of every
 * rank's, sorted as R sorts them, and each rank rebuilds its table with factors of those levels
 * (unused levels are kept, so the model matrix has the same columns on every rank).
 */
#include "mpi_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t count_strings(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += s[i] == '\0';
    return k;
}

void mpi_gathered_free(mpi_gathered *g)
{
    free(g->buf), free(g->bytes), free(g->displ), free(g->count);
    memset(g, 0, sizeof *g);
}

/* Each rank's `n` strings, NUL-terminated and concatenated, gathered on all ranks (collective). */
static bool gather_strings(int K, const char *const *s, size_t n, mpi_gathered *g)
{
    memset(g, 0, sizeof *g);
    size_t mine = 0;
    for (size_t k = 0; k < n; k++) mine += strlen(s[k]) + 1;
    char *local = malloc(mine + 1);
    g->bytes = calloc((size_t)K, sizeof *g->bytes);
    g->displ = calloc((size_t)K, sizeof *g->displ);
    g->count = calloc((size_t)K, sizeof *g->count);
    int ok = local && g->bytes && g->displ && g->count && mine < (size_t)1 << 30, all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(local);
        mpi_gathered_free(g);
        return false;
    }
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        size_t m = strlen(s[k]) + 1;
        memcpy(local + at, s[k], m);
        at += m;
    }
    int b = (int)mine;
    MPI_Allgather(&b, 1, MPI_INT, g->bytes, 1, MPI_INT, MPI_COMM_WORLD);
    size_t total = 0;
    for (int r = 0; r < K; r++) {
        g->displ[r] = (int)total;
        total += (size_t)g->bytes[r];
    }
    g->buf = malloc(total + 1);
    ok = g->buf != NULL && total < (size_t)1 << 31;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(local);
        mpi_gathered_free(g);
        return false;
    }
    MPI_Allgatherv(local, b, MPI_CHAR, g->buf, g->bytes, g->displ, MPI_CHAR, MPI_COMM_WORLD);
    free(local);
    for (int r = 0; r < K; r++)
        g->count[r] = count_strings(g->buf + g->displ[r], (size_t)g->bytes[r]);
    return true;
}

/* The k-th string of rank r in g (linear: headers and level lists are short). */
static const char *gathered_at(const mpi_gathered *g, int r, size_t k)
{
    const char *p = g->buf + g->displ[r];
    while (k-- > 0) p += strlen(p) + 1;
    return p;
}

/* A column's kind in the header exchange: numbers, numbers all missing, text, or a read factor. */
static char column_kind(const survkit_table *t, size_t j)
{
    if (survkit_table_is_factor(t, j)) return 'f';
    if (survkit_table_column_type(t, j) == SURVKIT_COLUMN_STRING) return 's';
    return survkit_table_n_missing(t, j) == survkit_table_n_rows(t) ? 'e' : 'n';
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Column j's global levels: the union of every rank's (sorted as R sorts them) for text; a read
 * factor's levels must be the same everywhere. Outputs the levels (pointers into g, valid while g
 * lives) and this rank's codes renumbered.
 */
static survkit_status global_levels(const cli_common *common, int K, const survkit_table *t,
                                    size_t j, bool factor, mpi_gathered *g, const char ***levels,
                                    size_t *n_levels, int32_t *codes, survkit_error *err)
{
    const size_t m = survkit_table_column_type(t, j) == SURVKIT_COLUMN_STRING ? survkit_table_n_levels(t, j) : 0;
    const char **mine = malloc((m + 1) * sizeof *mine);
    if (mine == NULL) return mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < m; k++) mine[k] = survkit_table_level(t, j, k);
    bool ok = gather_strings(K, mine, m, g);
    free(mine);
    if (!ok) return mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    size_t total = 0;
    for (int r = 0; r < K; r++) total += g->count[r];
    const char **all = malloc((total + 1) * sizeof *all);
    size_t *order = malloc((total + 1) * sizeof *order), *pos = malloc((total + 1) * sizeof *pos);
    const char **out = malloc((total + 1) * sizeof *out);
    if (!all || !order || !pos || !out) {
        free(all), free(order), free(pos), free(out);
        return mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    }
    size_t u = 0;
    for (int r = 0; r < K; r++)
        for (size_t k = 0; k < g->count[r]; k++) all[u++] = gathered_at(g, r, k);
    survkit_status st = SURVKIT_OK;
    if (factor) { /* the first rank's order; every rank holding levels must have the same */
        size_t n0 = 0;
        int first = -1;
        for (int r = 0; r < K && first < 0; r++)
            if (g->count[r] > 0) first = r, n0 = g->count[r];
        for (size_t k = 0; k < n0; k++) out[k] = gathered_at(g, first, k);
        u = n0;
        bool same = m == 0 || m == n0;
        for (size_t k = 0; same && k < m; k++) same = strcmp(survkit_table_level(t, j, k), out[k]) == 0;
        if (!same)
            st = mpi_cli_error(err, SURVKIT_ERR_DOMAIN,
                           "column '%s': its labelled levels differ between the parts",
                           survkit_table_column_name(t, j));
        for (size_t k = 0; k < m; k++) pos[k] = k;
    } else { /* union: sorted by bytes, repeats dropped, then put in R's order */
        qsort(all, u, sizeof *all, cmp_str);
        size_t w = 0;
        for (size_t k = 0; k < u; k++)
            if (w == 0 || strcmp(all[k], all[w - 1]) != 0) all[w++] = all[k];
        u = w;
        if (!survkit_collate_order(all, u, common->collate_c ? SURVKIT_COLLATE_C : SURVKIT_COLLATE_UTF8,
                                   order))
            st = mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
        for (size_t k = 0; st == SURVKIT_OK && k < u; k++) {
            out[k] = all[order[k]];
            pos[order[k]] = k; /* byte-sorted index -> R's index */
        }
        /* this rank's level k -> its global index */
        for (size_t k = 0; st == SURVKIT_OK && k < m; k++) {
            const char *key = survkit_table_level(t, j, k);
            const char **hit = bsearch(&key, all, u, sizeof *all, cmp_str);
            order[k] = pos[hit - all];
        }
        for (size_t k = 0; st == SURVKIT_OK && k < m; k++) pos[k] = order[k];
    }
    const size_t n = survkit_table_n_rows(t);
    const int32_t *local = m > 0 ? survkit_table_codes(t, j) : NULL;
    for (size_t i = 0; st == SURVKIT_OK && i < n; i++)
        codes[i] = local == NULL || local[i] < 0 ? -1 : (int32_t)pos[local[i]];
    free(all), free(order), free(pos);
    if (st != SURVKIT_OK) {
        free(out);
        return st;
    }
    *levels = out;
    *n_levels = u;
    return SURVKIT_OK;
}

/* The header of every rank against rank 0's, then the kinds made global. Collective. */
survkit_status mpi_agree_header(survkit_mpi *mpi, const mpi_part *part, const survkit_table *t,
                                   char *kinds, survkit_error *err)
{
    const int K = survkit_mpi_size(mpi);
    const size_t nc = survkit_table_n_columns(t);
    char **mine = calloc(nc + 1, sizeof *mine);
    survkit_status st = mine ? SURVKIT_OK : mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t j = 0; st == SURVKIT_OK && j < nc; j++) {
        const char *name = survkit_table_column_name(t, j);
        if ((mine[j] = malloc(strlen(name) + 2)) == NULL) {
            st = mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
            break;
        }
        mine[j][0] = column_kind(t, j);
        strcpy(mine[j] + 1, name);
    }
    mpi_gathered g = {0};
    bool ok = st == SURVKIT_OK && gather_strings(K, (const char *const *)mine, nc, &g);
    if (st == SURVKIT_OK && !ok) st = mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    if (ok) {
        if (g.count[0] != nc)
            st = mpi_cli_error(err, SURVKIT_ERR_DOMAIN,
                           "its header differs from the first part's: %zu columns, %zu there", nc,
                           g.count[0]);
        for (size_t j = 0; st == SURVKIT_OK && j < nc; j++) {
            const char *first = gathered_at(&g, 0, j);
            if (strcmp(first + 1, mine[j] + 1) != 0)
                st = mpi_cli_error(err, SURVKIT_ERR_DOMAIN,
                               "its header differs from the first part's: column %zu is '%.200s' "
                               "here, '%.200s' there", j + 1, mine[j] + 1, first + 1);
        }
    }
    if (st != SURVKIT_OK && err->line == 0) {
        err->line = 1; /* the header line of this rank's file */
        snprintf(err->source, sizeof err->source, "%s", part->source);
    }
    bool header_ok = (st = survkit_mpi_agree(mpi, st, err)) == SURVKIT_OK;
    for (size_t j = 0; header_ok && j < nc; j++) { /* text anywhere: text; else numbers */
        char kind = 'n';
        for (int r = 0; r < K; r++) {
            char k = gathered_at(&g, r, j)[0];
            if (k == 's' || k == 'f') kind = k;
        }
        kinds[j] = kind;
        if (kind != 'n' && mine[j][0] == 'n')
            st = mpi_cli_error(err, SURVKIT_ERR_TYPE,
                           "column '%s' holds numbers in this part but %s in another",
                           survkit_table_column_name(t, j), kind == 's' ? "text" : "labelled values");
    }
    for (size_t j = 0; mine && j < nc; j++) free(mine[j]);
    free(mine);
    mpi_gathered_free(&g);
    if (st != SURVKIT_OK && err->source[0] == '\0')
        snprintf(err->source, sizeof err->source, "%s", part->source);
    return header_ok ? survkit_mpi_agree(mpi, st, err) : st; /* agreed once: the first failure's */
}

/* The table of rows [first, first + n) of t with every text column a factor of global levels. */
survkit_status mpi_make_global(survkit_mpi *mpi, const cli_common *common, const mpi_part *part,
                                  const survkit_table *t, size_t first, size_t n,
                                  const char *kinds, survkit_table **out, int32_t **codes_out,
                                  const char ***levels_out, size_t *n_levels_out,
                                  mpi_gathered *keep, survkit_error *err)
{
    const int K = survkit_mpi_size(mpi);
    const size_t nc = survkit_table_n_columns(t), rows = survkit_table_n_rows(t);
    survkit_status st = survkit_table_create(n, out, err);
    /* a failure agreed here returns at once on every rank; later ones are agreed at the end */
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) return st;
    for (size_t j = 0; j < nc; j++) {
        const char *name = survkit_table_column_name(t, j);
        if (kinds[j] == 'n') {
            if (st == SURVKIT_OK)
                st = survkit_table_add_numeric_view(*out, name, survkit_table_numeric(t, j) + first, err);
            continue;
        }
        /* collective for every text column, whatever happened here */
        codes_out[j] = malloc((rows ? rows : 1) * sizeof **codes_out);
        survkit_status lv = codes_out[j] ? global_levels(common, K, t, j, kinds[j] == 'f', &keep[j],
                                                         &levels_out[j], &n_levels_out[j],
                                                         codes_out[j], err)
                                         : mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
        if (st == SURVKIT_OK) st = lv;
        if (st == SURVKIT_OK)
            st = survkit_table_add_factor(*out, name, codes_out[j] + first, levels_out[j],
                                          n_levels_out[j], err);
    }
    (void)part;
    return survkit_mpi_agree(mpi, st, err);
}
