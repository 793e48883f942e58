/* PID 1 of the sidecar, in place of a shell: starts Envoy and forwards every signal to it,
 * except that the first SIGTERM or SIGINT first asks Envoy to drain its listeners
 * (POST /drain_listeners?graceful&inboundonly on its admin port) and waits DRAIN_SECONDS (or
 * until Envoy exits) before passing the signal on; Envoy itself exits at once on SIGTERM.
 * Also reaps orphans (the firewall watcher). Exits with Envoy's status.
 *   drain-init DRAIN_SECONDS ADMIN_PORT PROGRAM [ARGS...]
 * Runs with Envoy's user and no capabilities: it holds no privilege of its own. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void log_line(const char *msg) {
  fprintf(stderr, "sigv4-sidecar drain-init: %s\n", msg);
}

/* Best effort: Envoy may not be up yet, or already gone. */
static void request_drain(int admin_port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  struct timeval tv = {2, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)admin_port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
    const char req[] =
        "POST /drain_listeners?graceful&inboundonly HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
    char buf[256];
    if (send(fd, req, sizeof req - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof req - 1) && recv(fd, buf, sizeof buf, 0) > 0) {
      log_line("SIGTERM: Envoy is draining its listeners");
    }
  }
  close(fd);
}

/* Reaps every exited child; returns 1 once the main child is gone, with its status. */
static int reap(pid_t child, int *status) {
  for (;;) {
    int st;
    pid_t pid = waitpid(-1, &st, WNOHANG);
    if (pid <= 0) return 0;
    if (pid == child) {
      *status = st;
      return 1;
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 4) {
    log_line("usage: drain-init DRAIN_SECONDS ADMIN_PORT PROGRAM [ARGS...]");
    return 2;
  }
  int drain_seconds = atoi(argv[1]);
  int admin_port = atoi(argv[2]);
  if (drain_seconds < 0 || drain_seconds > 300 || admin_port < 1 || admin_port > 65535) {
    log_line("error: DRAIN_SECONDS must be 0-300 and ADMIN_PORT 1-65535");
    return 2;
  }

  /* Every signal stays blocked here and is taken with sigtimedwait: no handlers, no races. */
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  pid_t child = fork();
  if (child < 0) {
    perror("sigv4-sidecar drain-init: fork");
    return 1;
  }
  if (child == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    execv(argv[3], argv + 3);
    perror("sigv4-sidecar drain-init: exec");
    _exit(127);
  }

  int status = 0;
  int draining = 0;
  struct timespec deadline = {0, 0};
  for (;;) {
    if (reap(child, &status)) break;
    struct timespec timeout = {3600, 0};
    if (draining) {
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      if (now.tv_sec >= deadline.tv_sec) {
        kill(child, draining);
        draining = 0;
        drain_seconds = 0; /* a later SIGTERM goes straight through */
        continue;
      }
      timeout.tv_sec = deadline.tv_sec - now.tv_sec;
    }
    siginfo_t info;
    int sig = sigtimedwait(&all, &info, &timeout);
    if (sig <= 0 || sig == SIGCHLD) continue; /* timeout, or a child to reap */
    if ((sig == SIGTERM || sig == SIGINT) && !draining && drain_seconds > 0) {
      draining = sig;
      request_drain(admin_port);
      clock_gettime(CLOCK_MONOTONIC, &deadline);
      deadline.tv_sec += drain_seconds;
    } else {
      kill(child, sig);
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}
