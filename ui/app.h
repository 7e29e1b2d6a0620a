/* app.h - the terminal UI's frame: a stack of screens, the input loop,
 * prompts, the help screen, the hint bar and the too-small message.
 *
 * Invariants:
 *  1. Input never blocks: the loop waits for a key at most APP_TICK_MS,
 *     then polls the top screen (tick), so a key is answered within one
 *     tick while the database is busy.
 *  2. The screen is redrawn only when something changed (a key, a tick
 *     that reported news, a resize), always in full into one UiGrid and
 *     painted at once: curses sends only the difference, so nothing
 *     flickers.
 *  3. Below APP_MIN_W x APP_MIN_H the screens are not drawn; a message
 *     says how big the terminal must be.  q still quits.
 *  4. The top screen gets every key except Ctrl-L (redraw), '?' (help)
 *     and KEY_RESIZE; a key it does not take that is q or Esc pops it, and
 *     popping the last screen ends the loop.
 *  5. A prompt (text or yes/no) owns the keyboard until answered or
 *     cancelled with Esc.
 *  6. The loop ends when app_quit was called or the stop flag (set by a
 *     signal handler) is non-zero.
 * Only app.c and theme.c call curses. */
#ifndef NASVIEW_UI_APP_H
#define NASVIEW_UI_APP_H

#include <signal.h>

#include "data.h"
#include "widgets/grid.h"
#include "widgets/plot.h"

#define APP_TICK_MS 50
#define APP_MIN_W 70
#define APP_MIN_H 20
#define APP_MAX_SCREENS 16

typedef struct App App;
typedef struct Screen Screen;

/* One line of the help screen: the keys and what they do. */
typedef struct {
    const char *keys;
    const char *what;
} UiKey;

/* Key codes screens see (curses' values, without including curses). */
enum {
    UI_KEY_UP = 0x103, UI_KEY_DOWN = 0x102, UI_KEY_LEFT = 0x104,
    UI_KEY_RIGHT = 0x105, UI_KEY_HOME = 0x106, UI_KEY_END = 0x168,
    UI_KEY_NPAGE = 0x152, UI_KEY_PPAGE = 0x153, UI_KEY_ENTER = 0x157,
    UI_KEY_BACKSPACE = 0x107, UI_KEY_BTAB = 0x161, UI_KEY_ESC = 27
};

typedef struct {
    const char *name;  /* shown in the help screen's title */
    /* Draw into g's w x h area at (x, y). */
    void (*draw)(Screen *s, App *a, UiGrid *g, int x, int y, int w, int h);
    /* Handle a key; return 1 when taken. */
    int (*key)(Screen *s, App *a, int key);
    /* Poll for news a few times a second; return 1 when a redraw is due.
     * May be NULL. */
    int (*tick)(Screen *s, App *a);
    /* The keys for the help screen, ending with { NULL, NULL }; may depend
     * on the app's mode (read-only). */
    const UiKey *(*keys)(Screen *s, App *a);
    /* The hint bar's text. */
    const char *(*hint)(Screen *s, App *a);
    /* Release the screen (called when it is popped). */
    void (*free)(Screen *s);
} ScreenOps;

struct Screen {
    const ScreenOps *ops;
};

typedef struct {
    const char *db_path;   /* the database file */
    int read_only;         /* hide everything that writes */
    int utf8;              /* the terminal shows UTF-8 */
    int no_color;          /* NO_COLOR was set */
    PlotMode plot_mode;    /* braille, block or ASCII */
    const char *self_exe;  /* this program, for starting `nasview search` */
    volatile sig_atomic_t *stop; /* set non-zero by a signal handler */
} AppConfig;

/* Called with the prompt's text, or NULL when it was cancelled. For a
 * yes/no prompt the text is "y" or NULL. */
typedef void (*PromptFn)(App *a, Screen *owner, const char *text);

struct App {
    AppConfig cfg;
    UiData *data;           /* the database, opened read-only; owned */
    Screen *stack[APP_MAX_SCREENS];
    int depth;
    int quit;
    int dirty;
    int colored;
    char status[256];       /* message shown in the hint bar until a key,
                               or APP_MESSAGE_MS, then the hint again */
    int status_bad;
    long status_ms;         /* when it was set (monotonic ms) */
    /* prompt */
    int prompt;             /* 0 none, 1 text, 2 yes/no */
    char prompt_label[512];
    char prompt_buf[512];
    size_t prompt_len;
    PromptFn prompt_fn;
    PromptFn prompt_live;   /* called after every edit of the text, or NULL */
    Screen *prompt_owner;
    /* the last search started from this UI */
    char started_name[256];
    char started_log[4200];
    int started_pid;
    int started_pending;    /* started, not yet seen in the database */
};

/* app_run - the whole UI: initialise curses (signal handlers must already
 * be installed), push the first screen, loop until quit, restore the
 * terminal.  data is taken over (closed at the end).  Returns 0, or 1 with
 * err filled when the terminal could not be set up. */
int app_run(const AppConfig *cfg, UiData *data, NvError *err);

/* app_push - put s on top (takes ownership); when the stack is full s is
 * freed and an error shown. */
void app_push(App *a, Screen *s);

/* app_pop - free the top screen; the loop ends when none is left. */
void app_pop(App *a);

/* app_quit - end the loop after this key. */
void app_quit(App *a);

/* app_message - show a message in the hint bar until the next key; bad
 * marks it as an error. */
void app_message(App *a, int bad, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* app_prompt - ask for a line of text (initial text may be NULL); fn gets
 * the answer.  app_confirm asks a yes/no question. */
void app_prompt(App *a, Screen *owner, const char *label, const char *initial,
                PromptFn fn);
void app_confirm(App *a, Screen *owner, const char *question, PromptFn fn);

/* app_prompt_live - as app_prompt, and live(a, owner, text) is called
 * after every edit with the text so far (filter as the user types). */
void app_prompt_live(App *a, Screen *owner, const char *label,
                     const char *initial, PromptFn fn, PromptFn live);

/* app_started_search - record that this UI started search `name` (process
 * pid, output in log): the searches screen opens its live view when it
 * appears in the database, or shows the log's last line if the process
 * ends first; quitting mentions it, since it keeps running. */
void app_started_search(App *a, const char *name, int pid, const char *log);

/* app_top - the screen on top of the stack (NULL when empty). */
Screen *app_top(App *a);

#endif
