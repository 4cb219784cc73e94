/* cmd_describe.c: placeholder until `survkit describe` lands (replaced by the io work). */
#include "cli.h"

int cli_describe(int argc, char **argv)
{
    cli_common common = {0};
    int status = cli_parse(argc, argv, &common, NULL, 0, "survkit describe [options] DATA",
                           "Show each column's type, missing count and levels.");
    if (status >= 0) return status;
    survkit_table *table = NULL;
    if (!cli_read_table(&common, &table)) return CLI_EXIT_USAGE;
    survkit_table_free(table);
    return CLI_EXIT_OK;
}
