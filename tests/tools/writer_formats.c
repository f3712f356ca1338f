/*
 * writer_formats.c - prints, for each report kind of the output layer, the formats its slots
 * offer ("sweep: table, json, csv"), for tests/test_formats.sh to hold the command table's
 * --format lists (sim/cmd/cmdtable.c, shown by `trainsim help COMMAND`) to the writer's slots.
 */
#include <stdio.h>

#include "output/writer.h"

int main(void)
{
    const struct report_writer *const kinds[] = { &run_writer,         &sweep_writer,    &compare_writer,
                                                  &solve_writer,       &sensitivity_writer, &validate_writer,
                                                  &layout_writer,      &trace_writer };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        printf("%s:", kinds[i]->kind);
        const char *sep = " ";
        for (int f = 0; f < FORMAT_COUNT; f++)
            if (kinds[i]->write[f]) {
                printf("%s%s", sep, writer_format_name((enum writer_format)f));
                sep = ", ";
            }
        putchar('\n');
    }
    return 0;
}
