/*
 * main.c - the taizhang command: dispatches to one function per subcommand.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--version") == 0) {
        printf("taizhang %s\n", TZ_VERSION);
        return argc < 2 ? 2 : 0;
    }
    fprintf(stderr, "taizhang: unknown command '%s'\n", argv[1]);
    return 2;
}
