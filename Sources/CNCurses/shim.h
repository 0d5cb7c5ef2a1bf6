#ifndef TERMCRM_CNCURSES_SHIM_H
#define TERMCRM_CNCURSES_SHIM_H

// Wide-character ncurses: these must come before the header.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

extern int wcwidth(wchar_t c);

// Swift 6 rejects mutable C globals and does not import function-like macros;
// expose what we need through tiny inline functions.
static inline WINDOW *crm_stdscr(void) { return stdscr; }
static inline int crm_lines(void) { return LINES; }
static inline int crm_cols(void) { return COLS; }
static inline attr_t crm_a_normal(void) { return A_NORMAL; }
static inline attr_t crm_a_bold(void) { return A_BOLD; }
static inline attr_t crm_a_reverse(void) { return A_REVERSE; }
static inline attr_t crm_a_underline(void) { return A_UNDERLINE; }
static inline attr_t crm_a_dim(void) { return A_DIM; }
static inline int crm_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }
static inline int crm_key_resize(void) { return KEY_RESIZE; }

/// Writes one wide string of `n` characters at (y, x) with attributes and colour pair.
static inline int crm_put(int y, int x, const wchar_t *s, int n, attr_t attrs, short pair) {
  wattr_set(stdscr, attrs, pair, NULL);
  int rc = mvwaddnwstr(stdscr, y, x, s, n);
  wattr_set(stdscr, A_NORMAL, 0, NULL);
  return rc;
}

/// Reads one key: returns KEY_CODE_YES for function keys, OK for characters, ERR otherwise.
static inline int crm_get_wch(unsigned int *out) {
  wint_t ch = 0;
  int rc = wget_wch(stdscr, &ch);
  *out = (unsigned int)ch;
  return rc;
}

#include <signal.h>
#include <string.h>

/// The last SIGINT, SIGTERM or SIGHUP caught while the full-screen interface runs (0: none).
/// The handler only stores the number (async-signal-safe); the key loop sees it, returns, and
/// the program restores the terminal and exits normally with 128 + the signal.
static volatile sig_atomic_t crm_caught_signal_value = 0;
static inline void crm_signal_handler(int sig) { crm_caught_signal_value = sig; }
static inline int crm_caught_signal(void) { return (int)crm_caught_signal_value; }
/// Installs the handler without SA_RESTART, so a blocking read returns at once. Installed
/// before ncurses starts, so ncurses keeps ours instead of its own (which exits from the handler).
static inline void crm_install_signal_handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = crm_signal_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/// Starts ncurses on standard input and output. Unlike initscr, which exits the program when the
/// terminal type is unknown, this returns 0 and lets the caller say what to do.
static inline int crm_start_screen(void) {
  SCREEN *s = newterm(NULL, stdout, stdin);
  if (s == NULL) return 0;
  set_term(s);
  return 1;
}

/// Reads one pending key without waiting: returns ERR when none is queued.
static inline int crm_get_wch_now(unsigned int *out) {
  wtimeout(stdscr, 0);
  wint_t ch = 0;
  int rc = wget_wch(stdscr, &ch);
  *out = (unsigned int)ch;
  return rc;
}
/// Turns the terminal's bracketed paste mode on or off (terminals without it ignore this).
static inline void crm_bracketed_paste(int on) {
  fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
  fflush(stdout);
}

#endif
