#include "cli.h"
int cli_predict(int argc, char **argv)
{
    (void)argc;
    cli_common common = {0};
    common.command = argv[0];
    return cli_fail(&common, "not written yet");
}
