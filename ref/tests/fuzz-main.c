/*
 * fuzz-main.c - replays a fuzz target's corpus without libFuzzer, so every
 * committed seed and every crash turned regression test runs in the normal
 * test suite (built with gcc, under ASan in ./scripts/test's second pass).
 *
 *   fuzz-X-replay FILE|DIR ...   runs LLVMFuzzerTestOneInput on each file
 *
 * A crash is the failure; the exit status is 0 once every input ran, 1 if
 * an input could not be read or none was given.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rbe");
    uint8_t *buf = NULL;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        perror(path);
        if (f != NULL)
            fclose(f);
        return -1;
    }
    /* One byte more than the file so that an empty input still has a
     * valid (non-NULL) buffer, as libFuzzer gives. */
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    return 0;
}

static int replay(const char *path, unsigned *count)
{
    struct dirent **names;
    struct stat st;
    int n, rc = 0;

    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*count)++;
        return replay_file(path);
    }
    /* Sorted, so a crash names the same input on every machine. */
    n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        perror(path);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.' && rc == 0) {
            char *child = malloc(strlen(path) + strlen(names[i]->d_name) + 2);
            if (child == NULL)
                rc = -1;
            else {
                sprintf(child, "%s/%s", path, names[i]->d_name);
                rc = replay(child, count);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned count = 0;

    for (int i = 1; i < argc; i++)
        if (replay(argv[i], &count) != 0)
            return 1;
    printf("%u inputs replayed\n", count);
    return count == 0;
}
