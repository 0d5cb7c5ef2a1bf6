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

#endif
