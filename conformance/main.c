/*
 * main.c - mpconform: the command table and what every command shares
 * (--help, --version, the exit statuses and the environment).
 *
 * The commands are cmd_*.c over a session (session.h): the cases, the
 * profiles and the options of this invocation.  `run` expands the
 * selection into cells (task.c), judges them (verdict.c) and fills the
 * results model (results.h) for the reporters (report/).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "exec.h"

#ifndef MPC_VERSION
#define MPC_VERSION "0.1.0"
#endif

static const mpc_command_t *const commands[] = {
#define MPC_COMMAND(name) &mpc_cmd_##name,
#include "commands.def"
#undef MPC_COMMAND
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

static const char environment[] =
    "environment:\n"
    "  MPCONFORM_IMPLS       more profile folders, colon separated\n"
    "  HOME                  passed on to the cases (else /)\n"
    "  a case gets only PATH, HOME, LANG, LC_ALL, MP_TIME_SCALE,\n"
    "  MP_START_METHOD, MP_UNBUFFERED, PYTHONUNBUFFERED and its profile's\n"
    "  env: lines (CASE-FORMAT.md)\n";

static void usage(FILE *f)
{
    fputs("usage: mpconform COMMAND [OPTIONS]\n\ncommands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char head[64];
        snprintf(head, sizeof head, "%s %s", commands[i]->name,
                 strcmp(commands[i]->args, "[OPTIONS]") ? commands[i]->args
                                                        : "");
        fprintf(f, "  %-26s %s\n", head, commands[i]->summary);
    }
    fputs("\n`mpconform COMMAND --help` describes a command, its options and "
          "its exit\nstatuses.  options (LIST is comma separated; options may "
          "be repeated):\n",
          f);
    mpc_opts_help(f, ~0u);
    fputs("\nexit status: 0 success; 1 failures found (run: a failing cell); "
          "2 usage\nor harness error; 130 interrupted\n\n",
          f);
    fputs(environment, f);
}

static void command_help(const mpc_command_t *c)
{
    printf("usage: mpconform %s %s\n\n%s", c->name, c->args, c->help);
    if (c->groups) {
        printf("\noptions:\n");
        mpc_opts_help(stdout, c->groups);
    }
    printf("\nexit status:\n");
    for (const char *e = c->exits; *e;) {
        size_t n = strcspn(e, "\n");
        printf("  %.*s\n", (int)n, e);
        e += n + (e[n] ? 1 : 0);
    }
    printf("\n%s", environment);
}

static const mpc_command_t *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 ||
        strcmp(a, "help") == 0) {
        const mpc_command_t *c = argc > 2 ? find_command(argv[2]) : NULL;
        if (c)
            command_help(c);
        else
            usage(stdout);
        return 0;
    }
    if (strcmp(a, "--version") == 0) {
        printf("mpconform %s\n", MPC_VERSION);
        return 0;
    }
    const mpc_command_t *c = find_command(a);
    if (!c) {
        fprintf(stderr, "mpconform: unknown command '%s'\n", a);
        usage(stderr);
        return 2;
    }
    static mpc_session_t s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    mpc_opts_parse(&s, argc, argv);
    if (s.o.help) {
        command_help(c);
        return 0;
    }
    if (s.o.version) {
        printf("mpconform %s\n", MPC_VERSION);
        return 0;
    }
    mpc_exec_init();
    return c->run(&s);
}
