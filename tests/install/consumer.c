/* consumer.c: a program built against an installed survkit, as a user would build it. */
#include <survkit/survkit.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    if (strcmp(survkit_version_string(), SURVKIT_VERSION_STRING_FOR_TEST) != 0) {
        fprintf(stderr, "header/library version mismatch: %s\n", survkit_version_string());
        return 1;
    }
    survkit_table *t = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    const double time[] = {5, 8, 12};
    if (survkit_table_create(3, &t, &err) != SURVKIT_OK ||
        survkit_table_add_numeric(t, "time", time, &err) != SURVKIT_OK) {
        fprintf(stderr, "table: %s\n", err.message);
        return 1;
    }
    int ok = survkit_table_n_rows(t) == 3 && survkit_table_find(t, "time") == 0;
    survkit_table_free(t);
    printf("consumer ok: survkit %s\n", survkit_version_string());
    return ok ? 0 : 1;
}
