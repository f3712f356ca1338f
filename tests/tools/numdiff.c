/*
 * numdiff.c - compares two text files token by token; numbers may differ by a relative
 * tolerance (libm results can differ in the last ulp across platforms). Used by the golden
 * tests. Usage: numdiff EXPECTED ACTUAL [REL_TOL]. Exit 0 when equal, 1 otherwise.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "numdiff: cannot open %s\n", path);
        exit(2);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Next token: a number, or a run of non-space non-number characters. */
static const char *next(const char *p, char *tok, size_t size, double *num, int *is_num, int *line)
{
    while (*p && isspace((unsigned char)*p)) {
        if (*p == '\n')
            (*line)++;
        p++;
    }
    if (!*p)
        return NULL;
    char *end;
    const double v = strtod(p, &end);
    if (end != p && (isdigit((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.')) {
        *num = v;
        *is_num = 1;
        snprintf(tok, size, "%.*s", (int)(end - p), p);
        return end;
    }
    size_t k = 0;
    while (*p && !isspace((unsigned char)*p) && !(isdigit((unsigned char)*p) && k > 0 && !isalpha((unsigned char)p[-1]) && p[-1] != '_') && k + 1 < size)
        tok[k++] = *p++;
    tok[k] = '\0';
    *is_num = 0;
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: numdiff EXPECTED ACTUAL [REL_TOL]\n", stderr);
        return 2;
    }
    const double tol = argc > 3 ? atof(argv[3]) : 1e-9;
    char *a = slurp(argv[1]), *b = slurp(argv[2]);
    const char *pa = a, *pb = b;
    int la = 1, lb = 1;
    for (;;) {
        char ta[4096], tb[4096];
        double va = 0, vb = 0;
        int na = 0, nb = 0;
        pa = next(pa, ta, sizeof ta, &va, &na, &la);
        pb = next(pb, tb, sizeof tb, &vb, &nb, &lb);
        if (!pa || !pb) {
            if (pa || pb) {
                fprintf(stderr, "numdiff: %s ends early (line %d / %d)\n", pa ? argv[2] : argv[1], la, lb);
                return 1;
            }
            return 0;
        }
        if (na && nb) {
            if (fabs(va - vb) > tol * fmax(fabs(va), fabs(vb)) && !(va == 0 && vb == 0)) {
                fprintf(stderr, "numdiff: line %d: expected %s, got %s\n", la, ta, tb);
                return 1;
            }
        } else if (na != nb || strcmp(ta, tb) != 0) {
            fprintf(stderr, "numdiff: line %d: expected '%s', got '%s'\n", la, ta, tb);
            return 1;
        }
    }
}
