/*
 * _survkit.c: the CPython glue of the survkit package. It holds no numerics: it turns the columns
 * handed over by survkit/__init__.py into a survkit_table (float64 arrays read in place through the
 * buffer protocol, strings coded by the library, categoricals as codes and ordered levels), calls the library with the GIL released, and turns
 * the result object back into dicts of lists. A library failure raises survkit.SurvkitError with the
 * library's message (and, for a formula, the formula with a caret under the position).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <survkit/survkit.h>
#include <string.h>

static PyObject *SurvkitError;

/* Raise SurvkitError(message, status, line, column) formatted as the CLI formats it. */
static PyObject *raise_error(const survkit_error *err, const char *formula)
{
    const char *message = err->message[0] ? err->message : survkit_strerror(err->status);
    PyObject *text;
    if (err->source[0] == '\0' && err->line == 0 && err->column > 0 && formula != NULL) {
        /* The formula above a caret at the position, as the CLI prints it. */
        size_t pad = (size_t)err->column - 1;
        char *caret = PyMem_Malloc(pad + 2);
        if (caret == NULL) return PyErr_NoMemory();
        memset(caret, ' ', pad);
        caret[pad] = '^';
        caret[pad + 1] = '\0';
        text = PyUnicode_FromFormat("error in formula, at character %llu: %s\n  %s\n  %s",
                                    (unsigned long long)err->column, message, formula, caret);
        PyMem_Free(caret);
    } else if (err->line > 1)
        text = PyUnicode_FromFormat("data row %llu: %s", (unsigned long long)(err->line - 2), message);
    else
        text = PyUnicode_FromString(message);
    if (text == NULL) return NULL;
    PyObject *args = Py_BuildValue("(NiKK)", text, (int)err->status, (unsigned long long)err->line,
                                   (unsigned long long)err->column);
    if (args != NULL) PyErr_SetObject(SurvkitError, args);
    Py_XDECREF(args);
    return NULL;
}

/* The input of one fit: a table over the caller's columns, with the buffers it borrows. */
typedef struct input {
    survkit_table *table;
    Py_buffer *buffers;
    Py_ssize_t n_buffers;
} input;

static void input_release(input *in)
{
    survkit_table_free(in->table);
    for (Py_ssize_t k = 0; k < in->n_buffers; k++) PyBuffer_Release(&in->buffers[k]);
    PyMem_Free(in->buffers);
    in->table = NULL;
    in->buffers = NULL;
    in->n_buffers = 0;
}

/* columns: a list of (name, value) where value is a C-contiguous float64 buffer (used in place) or a
 * list of str/None (a string column). */
static int input_build(PyObject *columns, Py_ssize_t n_rows, input *in)
{
    survkit_error err;
    survkit_error_clear(&err);
    Py_ssize_t m = PyList_Size(columns);
    if (m < 0) return -1;
    in->buffers = PyMem_Calloc((size_t)m + 1, sizeof(Py_buffer));
    if (in->buffers == NULL) { PyErr_NoMemory(); return -1; }
    if (survkit_table_create((size_t)n_rows, &in->table, &err) != SURVKIT_OK) {
        raise_error(&err, NULL);
        return -1;
    }
    for (Py_ssize_t j = 0; j < m; j++) {
        PyObject *item = PyList_GetItem(columns, j);
        const char *name;
        PyObject *value;
        if (!PyArg_ParseTuple(item, "sO", &name, &value)) return -1;
        survkit_status st;
        if (PyTuple_Check(value)) { /* a categorical: (int32 codes, list of levels in order) */
            PyObject *codes_obj, *levels;
            if (!PyArg_ParseTuple(value, "OO!", &codes_obj, &PyList_Type, &levels)) return -1;
            Py_buffer *b = &in->buffers[in->n_buffers];
            if (PyObject_GetBuffer(codes_obj, b, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
            in->n_buffers++;
            if (b->itemsize != 4 || b->format == NULL || strchr("il", b->format[0]) == NULL ||
                b->len != n_rows * 4) {
                PyErr_Format(PyExc_TypeError, "column %s: expected %zd int32 codes", name, n_rows);
                return -1;
            }
            Py_ssize_t nl = PyList_Size(levels);
            const char **texts = PyMem_Calloc((size_t)nl + 1, sizeof *texts);
            if (texts == NULL) { PyErr_NoMemory(); return -1; }
            for (Py_ssize_t k = 0; k < nl; k++) {
                texts[k] = PyUnicode_AsUTF8(PyList_GetItem(levels, k));
                if (texts[k] == NULL) { PyMem_Free(texts); return -1; }
            }
            st = survkit_table_add_factor(in->table, name, b->buf, texts, (size_t)nl, &err);
            PyMem_Free(texts);
        } else if (PyList_Check(value)) {
            if (PyList_Size(value) != n_rows) {
                PyErr_Format(PyExc_ValueError, "column %s has %zd values, not %zd", name,
                             PyList_Size(value), n_rows);
                return -1;
            }
            const char **texts = PyMem_Calloc((size_t)n_rows + 1, sizeof *texts);
            if (texts == NULL) { PyErr_NoMemory(); return -1; }
            for (Py_ssize_t i = 0; i < n_rows; i++) {
                PyObject *v = PyList_GetItem(value, i);
                if (v == Py_None) continue;
                texts[i] = PyUnicode_AsUTF8(v);
                if (texts[i] == NULL) { PyMem_Free(texts); return -1; }
            }
            st = survkit_table_add_string(in->table, name, texts, &err);
            PyMem_Free(texts);
        } else {
            Py_buffer *b = &in->buffers[in->n_buffers];
            if (PyObject_GetBuffer(value, b, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
            in->n_buffers++;
            if (b->itemsize != sizeof(double) || b->format == NULL || strcmp(b->format, "d") != 0 ||
                b->len != n_rows * (Py_ssize_t)sizeof(double)) {
                PyErr_Format(PyExc_TypeError, "column %s: expected %zd contiguous float64 values",
                             name, n_rows);
                return -1;
            }
            st = survkit_table_add_numeric_view(in->table, name, b->buf, &err);
        }
        if (st != SURVKIT_OK) { raise_error(&err, NULL); return -1; }
    }
    return 0;
}

static PyObject *doubles(const double *v, size_t n)
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (list == NULL) return NULL;
    for (size_t i = 0; i < n; i++) {
        PyObject *x = PyFloat_FromDouble(v ? v[i] : Py_NAN);
        if (x == NULL) { Py_DECREF(list); return NULL; }
        PyList_SET_ITEM(list, (Py_ssize_t)i, x);
    }
    return list;
}

/* Set d[key] = value, stealing the reference; -1 on failure. */
static int put(PyObject *d, const char *key, PyObject *value)
{
    if (value == NULL) return -1;
    int rc = PyDict_SetItemString(d, key, value);
    Py_DECREF(value);
    return rc;
}

static int frame_info(PyObject *d, const survkit_frame *f)
{
    return put(d, "n", PyLong_FromSize_t(survkit_frame_n(f))) < 0 ||
                   put(d, "n_dropped", PyLong_FromSize_t(survkit_frame_n_dropped(f))) < 0
               ? -1
               : 0;
}

static PyObject *none(void)
{
    Py_INCREF(Py_None);
    return Py_None;
}

static PyObject *cox_result(const survkit_frame *f, const survkit_cox_result *r)
{
    size_t p = survkit_cox_result_p(r);
    PyObject *d = PyDict_New();
    if (d == NULL || frame_info(d, f) < 0) goto fail;
    PyObject *names = PyList_New((Py_ssize_t)p);
    if (names == NULL || put(d, "names", names) < 0) goto fail;
    for (size_t j = 0; j < p; j++) {
        PyObject *s = PyUnicode_FromString(survkit_cox_result_name(r, j));
        if (s == NULL) goto fail;
        PyList_SET_ITEM(names, (Py_ssize_t)j, s);
    }
    const double *robust = survkit_cox_result_robust_se(r);
    const double *naive = survkit_cox_result_naive_vcov(r);
    if (put(d, "coef", doubles(survkit_cox_result_coef(r), p)) < 0 ||
        put(d, "exp_coef", doubles(survkit_cox_result_exp_coef(r), p)) < 0 ||
        put(d, "se", doubles(survkit_cox_result_se(r), p)) < 0 ||
        put(d, "robust_se", robust ? doubles(robust, p) : none()) < 0 ||
        put(d, "z", doubles(survkit_cox_result_z(r), p)) < 0 ||
        put(d, "p", doubles(survkit_cox_result_pvalue(r), p)) < 0 ||
        put(d, "lower", doubles(survkit_cox_result_lower(r), p)) < 0 ||
        put(d, "upper", doubles(survkit_cox_result_upper(r), p)) < 0 ||
        put(d, "vcov", doubles(survkit_cox_result_vcov(r), p * p)) < 0 ||
        put(d, "naive_vcov", naive ? doubles(naive, p * p) : none()) < 0 ||
        put(d, "loglik", Py_BuildValue("(dd)", survkit_cox_result_loglik_null(r),
                                        survkit_cox_result_loglik(r))) < 0 ||
        put(d, "n_events", PyFloat_FromDouble(survkit_cox_result_n_events(r))) < 0 ||
        put(d, "concordance", Py_BuildValue("(dd)", survkit_cox_result_concordance(r),
                                             survkit_cox_result_concordance_se(r))) < 0 ||
        put(d, "iterations", PyLong_FromLong(survkit_cox_result_iterations(r))) < 0 ||
        put(d, "conf_level", PyFloat_FromDouble(survkit_cox_result_conf_level(r))) < 0)
        goto fail;
    static const char *const test_names[] = {"lr", "wald", "score", "robust_score"};
    PyObject *tests = PyDict_New();
    if (tests == NULL || put(d, "tests", tests) < 0) goto fail;
    for (int k = 0; k < 4; k++) {
        double stat, df, pv;
        if (survkit_cox_result_test(r, (survkit_cox_test_kind)k, &stat, &df, &pv) &&
            put(tests, test_names[k], Py_BuildValue("(ddd)", stat, df, pv)) < 0)
            goto fail;
    }
    PyObject *warnings = PyList_New(0);
    if (warnings == NULL || put(d, "warnings", warnings) < 0) goto fail;
    for (size_t k = 0; k < survkit_cox_result_n_warnings(r); k++) {
        PyObject *w = PyUnicode_FromString(survkit_cox_result_warning(r, k));
        if (w == NULL || PyList_Append(warnings, w) < 0) { Py_XDECREF(w); goto fail; }
        Py_DECREF(w);
    }
    return d;
fail:
    Py_XDECREF(d);
    return NULL;
}

static const char *const km_keys[SURVKIT_KM_N_COLUMNS] = {
    "time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper", "cumhaz", "std_chaz"};

static PyObject *km_result(const survkit_frame *f, const survkit_km *km)
{
    PyObject *d = PyDict_New(), *curves = PyList_New(0);
    if (d == NULL || curves == NULL || frame_info(d, f) < 0 || put(d, "curves", curves) < 0) {
        Py_XDECREF(d);
        return NULL;
    }
    for (size_t g = 0; g < survkit_km_n_groups(km); g++) {
        PyObject *c = PyDict_New();
        if (c == NULL || PyList_Append(curves, c) < 0) { Py_XDECREF(c); goto fail; }
        Py_DECREF(c);
        size_t nt = survkit_km_n_times(km, g);
        double med[3];
        survkit_km_median(km, g, med);
        if (put(c, "label", PyUnicode_FromString(survkit_km_group_label(km, g))) < 0 ||
            put(c, "records", PyLong_FromSize_t(survkit_km_records(km, g))) < 0 ||
            put(c, "n_max", PyFloat_FromDouble(survkit_km_n_max(km, g))) < 0 ||
            put(c, "n_start", PyFloat_FromDouble(survkit_km_n_start(km, g))) < 0 ||
            put(c, "events", PyFloat_FromDouble(survkit_km_events(km, g))) < 0 ||
            put(c, "median", Py_BuildValue("(ddd)", med[0], med[1], med[2])) < 0)
            goto fail;
        for (int k = 0; k < SURVKIT_KM_N_COLUMNS; k++)
            if (put(c, km_keys[k], doubles(survkit_km_column_values(km, g, (survkit_km_column)k), nt)) < 0)
                goto fail;
    }
    return d;
fail:
    Py_DECREF(d);
    return NULL;
}

static PyObject *logrank_result(const survkit_frame *f, const survkit_logrank *lr)
{
    size_t k = survkit_logrank_n_groups(lr);
    PyObject *d = PyDict_New(), *labels = PyList_New((Py_ssize_t)k);
    if (d == NULL || labels == NULL || frame_info(d, f) < 0 || put(d, "labels", labels) < 0) {
        Py_XDECREF(d);
        return NULL;
    }
    for (size_t g = 0; g < k; g++) {
        PyObject *s = PyUnicode_FromString(survkit_logrank_group_label(lr, g));
        if (s == NULL) { Py_DECREF(d); return NULL; }
        PyList_SET_ITEM(labels, (Py_ssize_t)g, s);
    }
    if (put(d, "records", doubles(survkit_logrank_n(lr), k)) < 0 ||
        put(d, "observed", doubles(survkit_logrank_observed(lr), k)) < 0 ||
        put(d, "expected", doubles(survkit_logrank_expected(lr), k)) < 0 ||
        put(d, "var", doubles(survkit_logrank_variance(lr), k * k)) < 0 ||
        put(d, "chisq", PyFloat_FromDouble(survkit_logrank_chisq(lr))) < 0 ||
        put(d, "df", PyLong_FromLong(survkit_logrank_df(lr))) < 0 ||
        put(d, "p", PyFloat_FromDouble(survkit_logrank_p(lr))) < 0 ||
        put(d, "rho", PyFloat_FromDouble(survkit_logrank_rho(lr))) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

enum { FIT_COX = 0, FIT_KM = 1, FIT_LOGRANK = 2 };

/* fit(kind, columns, n_rows, formula, weights, ties, conf_type, conf_level, rho, robust) */
static PyObject *py_fit(PyObject *self, PyObject *args)
{
    (void)self;
    int kind, ties, robust;
    Py_ssize_t n_rows;
    PyObject *columns;
    const char *formula, *weights, *conf_type;
    double conf_level, rho;
    if (!PyArg_ParseTuple(args, "iO!nszisddi", &kind, &PyList_Type, &columns, &n_rows, &formula,
                          &weights, &ties, &conf_type, &conf_level, &rho, &robust))
        return NULL;
    input in = {0};
    if (input_build(columns, n_rows, &in) < 0) { input_release(&in); return NULL; }

    survkit_error err;
    survkit_error_clear(&err);
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.weights = weights;
    fo.groups = kind != FIT_COX;
    survkit_cox_options co;
    survkit_cox_options_init(&co);
    co.ties = (survkit_cox_ties)ties;
    co.robust = (survkit_cox_robust)robust;
    co.conf_level = conf_level;
    survkit_km_options ko;
    survkit_km_options_init(&ko);
    ko.conf_level = conf_level;
    survkit_logrank_options lo;
    survkit_logrank_options_init(&lo);
    lo.rho = rho;
    survkit_status st = SURVKIT_OK;
    if (kind == FIT_KM) st = survkit_conf_type_parse(conf_type, &ko.conf_type, &err);

    survkit_frame *frame = NULL;
    survkit_cox_result *cox = NULL;
    survkit_km *km = NULL;
    survkit_logrank *lr = NULL;
    /* The table borrows buffers the caller keeps alive; no Python object is touched here. */
    Py_BEGIN_ALLOW_THREADS
    if (st == SURVKIT_OK) st = survkit_frame_build(in.table, formula, &fo, &frame, &err);
    if (st == SURVKIT_OK) {
        if (kind == FIT_COX) st = survkit_cox_fit_frame(frame, &co, &cox, &err);
        else if (kind == FIT_KM) st = survkit_km_fit_frame(frame, &ko, &km, &err);
        else st = survkit_logrank_test_frame(frame, &lo, &lr, &err);
    }
    Py_END_ALLOW_THREADS

    PyObject *out = NULL;
    if (st != SURVKIT_OK) raise_error(&err, formula);
    else if (kind == FIT_COX) out = cox_result(frame, cox);
    else if (kind == FIT_KM) out = km_result(frame, km);
    else out = logrank_result(frame, lr);
    survkit_cox_result_free(cox);
    survkit_km_free(km);
    survkit_logrank_free(lr);
    survkit_frame_free(frame);
    input_release(&in);
    return out;
}

static PyMethodDef methods[] = {
    {"fit", py_fit, METH_VARARGS, "fit(kind, columns, n_rows, formula, weights, ties, conf_type, "
                                  "conf_level, rho, robust) -> dict (internal; use survkit.cox/km/logrank)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_survkit", NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__survkit(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    SurvkitError = PyErr_NewException("survkit.SurvkitError", PyExc_ValueError, NULL);
    if (SurvkitError == NULL) { Py_DECREF(m); return NULL; }
    Py_INCREF(SurvkitError);
    if (PyModule_AddObject(m, "SurvkitError", SurvkitError) < 0 ||
        PyModule_AddStringConstant(m, "library_version", survkit_version_string()) < 0) {
        Py_DECREF(SurvkitError);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
