/* ev — doorway's single-threaded event loop, after redis ae.c: file
 * descriptors with callbacks, monotonic timers that return their next
 * interval, signals read from a signalfd, and a before-poll hook (the one
 * place that redraws). Deleting during a callback only marks. */
#ifndef DOORWAY_EV_H
#define DOORWAY_EV_H

#include <stdbool.h>
#include <stdint.h>

struct ev;

#define EV_READ  1
#define EV_WRITE 2
#define EV_NOMORE (-1)  /* a timer callback's return: do not repeat */

/* fd callback: events that fired (EV_READ/EV_WRITE, EV_READ also on
 * hangup/error so the callback reads the EOF). */
typedef void ev_fd_fn(struct ev *ev, int fd, int events, void *arg);
/* timer callback: returns the next interval in ms, or EV_NOMORE. */
typedef int64_t ev_timer_fn(struct ev *ev, long long id, void *arg);
typedef void ev_signal_fn(struct ev *ev, int signo, void *arg);
typedef void ev_hook_fn(struct ev *ev, void *arg);

struct ev *ev_new(void);
void ev_free(struct ev *ev);

int ev_add_fd(struct ev *ev, int fd, int events, ev_fd_fn *fn, void *arg);
void ev_mod_fd(struct ev *ev, int fd, int events);
void ev_del_fd(struct ev *ev, int fd);

long long ev_add_timer(struct ev *ev, int64_t ms, ev_timer_fn *fn, void *arg);
void ev_del_timer(struct ev *ev, long long id);

/* Block signo, route it through the loop's signalfd. */
int ev_add_signal(struct ev *ev, int signo, ev_signal_fn *fn, void *arg);
/* The signal mask doorway started with (children restore it before exec). */
void ev_restore_sigmask(const struct ev *ev);

void ev_set_before_poll(struct ev *ev, ev_hook_fn *fn, void *arg);

/* Run until ev_stop. Returns 0, or -1 if poll failed. */
int ev_run(struct ev *ev);
void ev_stop(struct ev *ev);
/* One pass: wait at most timeout_ms (-1 forever) and dispatch. */
int ev_once(struct ev *ev, int64_t timeout_ms);

#endif
