/*
 * test_sha256.c - util/sha256.c against the FIPS 180-2 appendix B vectors and a long input
 * (a million 'a's, the third vector), plus the padding edges (55, 56, 63, 64 bytes), whose
 * digests were taken from `sha256sum` (GNU coreutils).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sha256.h"

static int failures;

static void check(const char *what, const void *data, size_t len, const char *want)
{
    char got[SHA256_HEX_LEN + 1];
    sha256_hex(data, len, got);
    if (strcmp(got, want) != 0) {
        printf("FAIL %s: got %s want %s\n", what, got, want);
        failures++;
    } else {
        printf("ok %s\n", what);
    }
}

int main(void)
{
    check("empty", "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check("abc", "abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check("448-bit", two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    check("million a", million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    check("55 a", million, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    check("56 a", million, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    check("63 a", million, 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
    check("64 a", million, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
    free(million);
    return failures != 0;
}
