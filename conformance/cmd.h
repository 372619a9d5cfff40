/*
 * cmd.h - a command of mpconform.  Each lives in its own cmd_NAME.c, which
 * defines `const mpc_command_t mpc_cmd_NAME`, and is listed by one line
 * `MPC_COMMAND(NAME)` in commands.def (main.c builds its table from it).
 */
#ifndef MPC_CMD_H
#define MPC_CMD_H

#include "session.h"

typedef struct {
    const char *name;
    const char *args;    /* after the name in the usage line: "[OPTIONS]" */
    const char *summary; /* one line for `mpconform --help` */
    const char *help;    /* what `mpconform NAME --help` says, then its
                          * options (groups) and exit statuses */
    unsigned groups;     /* MPC_OPTG_* its --help lists */
    const char *exits;   /* its exit statuses, one per line */
    /* Runs the command; returns the exit status.  The process is a child
     * subreaper and ignores SIGPIPE (mpc_exec_init) by then. */
    int (*run)(mpc_session_t *s);
} mpc_command_t;

#define MPC_COMMAND(name) extern const mpc_command_t mpc_cmd_##name;
#include "commands.def"
#undef MPC_COMMAND

#endif /* MPC_CMD_H */
