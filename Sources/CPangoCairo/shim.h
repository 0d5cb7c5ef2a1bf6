#ifndef TERMCRM_CPANGOCAIRO_SHIM_H
#define TERMCRM_CPANGOCAIRO_SHIM_H

// cairo draws PDF pages (it embeds the subset of each font it uses and keeps text selectable);
// pango lays out UTF-8 text on them: shaping, wrapping at word boundaries, Cyrillic.
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

// Swift does not import function-like macros; expose what we need as inline functions.
static inline int crm_pango_scale(void) { return PANGO_SCALE; }

#endif
