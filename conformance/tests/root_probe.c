/* root_probe.c - run by test_exec inside a test root (a static program: the
 * root holds nothing else).  Prints what tells a root from the host: the
 * root's own marker file, whether the bound folder is the working
 * directory, its pid, /proc and /dev as seen from inside; writes a file in
 * the root's /tmp (which must not reach the root's folder); with an
 * argument, leaves /dev/shm/ARG behind (which must be reported). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void print_file(const char *label, const char *path)
{
    char buf[256] = "";
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    buf[n > 0 ? n : 0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    printf("%s: %s\n", label, n > 0 ? buf : "(none)");
}

int main(int argc, char **argv)
{
    print_file("marker", "/etc/mpconform-test-root");
    print_file("bound", "bound-file");
    printf("pid: %d\n", (int)getpid());
    printf("proc: %s\n", access("/proc/self/stat", R_OK) == 0 ? "yes" : "no");
    printf("dev/null: %s\n", access("/dev/null", W_OK) == 0 ? "yes" : "no");
    int fd = open("/tmp/written-inside", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    printf("tmp: %s\n", fd >= 0 ? "yes" : "no");
    if (fd >= 0)
        close(fd);
    if (argc > 1) {
        char path[256];
        snprintf(path, sizeof path, "/dev/shm/%s", argv[1]);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        printf("shm: %s\n", fd >= 0 ? "yes" : "no");
        if (fd >= 0)
            close(fd);
    }
    return 0;
}
