import CRMCore
import TerminalUI

/// One binding of the app's key tables: `KeyBinding(keys, action, help:, hint:)` in short.
func bind(_ keys: [Key], _ action: Action, _ help: String, _ hint: String? = nil)
  -> KeyBinding<Action>
{
  KeyBinding(keys, action, help: help, hint: hint)
}

/// The shared groups a screen's key table can start with (`Screen.keyGroups`).
public enum KeyGroup: Sendable {
  /// `1`–`6` and `?`.
  case common
  /// Rows, pages, the first and the last row.
  case movement
  /// `j`/`k` on a page of text.
  case scroll
  /// Page Down / Page Up.
  case pages
  /// Scroll, pages, top and end.
  case textView

  func bindings(_ l: Language) -> [KeyBinding<Action>] {
    switch self {
    case .common: SharedKeys.common(l)
    case .movement: SharedKeys.movement(l)
    case .scroll: SharedKeys.scroll(l)
    case .pages: SharedKeys.pages(l)
    case .textView: SharedKeys.textView(l)
    }
  }
}

/// The groups of bindings that several screens share, declared once. Each screen's own table
/// sits beside the screen (`<Screen>+Keys.swift`) and is built from these and its own keys.
enum SharedKeys {
  /// `1`–`6` and `?`: on every top-level screen and the screens opened from them.
  static func common(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("1"), .char("2"), .char("3"), .char("4"), .char("5"), .char("6")], .nextTab,
        l.pick(
          "switch screen: clients, calendar, reminders, funnel, activity, reports",
          "экран: клиенты, календарь, напоминания, воронка, активность, отчёты")),
      help(l),
    ]
  }

  static func help(_ l: Language) -> KeyBinding<Action> {
    bind([.char("?")], .help, l.pick("this help", "эта справка"), l.pick("help", "справка"))
  }

  /// Moving the selection in a list: rows, pages, the first and the last row.
  static func movement(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind([.char("j"), .down], .down, l.pick("next row", "следующая строка")),
      bind([.char("k"), .up], .up, l.pick("previous row", "предыдущая строка")),
    ] + pages(l) + [
      bind([.char("g"), .home], .top, l.pick("first row", "первая строка")),
      bind([.char("G"), .end], .bottom, l.pick("last row", "последняя строка")),
    ]
  }

  /// `j`/`k` on a page of text; `byLine` says "a line" in the help.
  static func scroll(_ l: Language, byLine: Bool = false) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("j"), .down], .down,
        byLine
          ? l.pick("scroll down a line", "прокрутить на строку вниз")
          : l.pick("scroll down", "прокрутить вниз")),
      bind(
        [.char("k"), .up], .up,
        byLine
          ? l.pick("scroll up a line", "прокрутить на строку вверх")
          : l.pick("scroll up", "прокрутить вверх")),
    ]
  }

  /// Page Down / Page Up (and ^F / ^B); `hint` puts the first in the status bar.
  static func pages(_ l: Language, hint: String? = nil) -> [KeyBinding<Action>] {
    [
      bind([.pageDown, .ctrl("f")], .pageDown, l.pick("next page", "следующая страница"), hint),
      bind([.pageUp, .ctrl("b")], .pageUp, l.pick("previous page", "предыдущая страница")),
    ]
  }

  /// `g` / `G`: the top and the end of a page of text.
  static func ends(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind([.char("g"), .home], .top, l.pick("to the top", "в начало")),
      bind([.char("G"), .end], .bottom, l.pick("to the end", "в конец")),
    ]
  }

  /// The whole text view: scroll, pages, top and end.
  static func textView(_ l: Language, byLine: Bool = false) -> [KeyBinding<Action>] {
    scroll(l, byLine: byLine) + pages(l) + ends(l)
  }

  /// `q` on a top-level screen.
  static func quit(_ l: Language) -> KeyBinding<Action> {
    bind([.char("q")], .quit, l.pick("quit", "выход"), l.pick("quit", "выход"))
  }

  /// `q` / Esc on a screen opened from another.
  static func back(_ l: Language) -> KeyBinding<Action> {
    bind([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад"))
  }

  /// Esc in a dialog.
  static func cancel(_ l: Language) -> KeyBinding<Action> {
    bind([.escape], .cancel, l.pick("cancel", "отмена"), l.pick("cancel", "отмена"))
  }

  static func undo(_ l: Language) -> KeyBinding<Action> {
    bind(
      [.char("u")], .undo,
      l.pick(
        "undo your last change made here (named and asked first)",
        "отменить своё последнее изменение, сделанное здесь (с вопросом)"),
      l.pick("undo", "отмена"))
  }

  static func reload(_ l: Language) -> KeyBinding<Action> {
    bind([.char("r")], .reload, l.pick("reload", "обновить"))
  }

  static func nextPipeline(_ l: Language) -> KeyBinding<Action> {
    bind([.char("P")], .nextPipeline, l.pick("next pipeline", "следующая воронка"))
  }

  /// "Mine / everyone's" on `key`.
  static func mineOrAll(_ key: Character, _ l: Language) -> KeyBinding<Action> {
    bind(
      [.char(key)], .scope, l.pick("mine / everyone's", "мои / все"),
      l.pick("mine/all", "мои/все"))
  }

  /// Opens the card of the client of the selected row, on `key`.
  static func clientCard(_ key: Character, _ l: Language) -> KeyBinding<Action> {
    bind([.char(key)], .clientCard, l.pick("open the client card", "открыть карточку клиента"))
  }

  /// `[` / `]`: the previous and the next period; `hint` goes on the first.
  static func periods(_ l: Language, hint: String? = nil) -> [KeyBinding<Action>] {
    [
      bind([.char("[")], .previous, l.pick("previous period", "предыдущий период"), hint),
      bind([.char("]")], .next, l.pick("next period", "следующий период")),
    ]
  }

  /// The moves of a deal between stages, shared by the funnel and the deal card.
  static func dealMoves(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char(">")], .forward,
        l.pick(
          "one stage forward (from the last open stage: won)",
          "на этап вперёд (с последнего открытого — выиграна)"), l.pick("forward", "вперёд")),
      bind(
        [.char("<")], .backward, l.pick("one stage back", "на этап назад"),
        l.pick("back", "назад")),
      bind(
        [.char("w")], .won, l.pick("mark won (asks first)", "выиграна (с подтверждением)"),
        l.pick("won", "выиграна")),
      bind(
        [.char("x")], .lost, l.pick("mark lost (asks the reason)", "проиграна (спросит причину)"),
        l.pick("lost", "проиграна")),
      bind(
        [.char("m")], .moveStage, l.pick("move to any stage", "перенести на любой этап"),
        l.pick("stage", "этап")),
    ]
  }

  /// The outcome keys of a planned contact, shared by reminders and the calendar.
  static func outcomes(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("d")], .done, l.pick("done (asks the result)", "сделано (спросит результат)"),
        l.pick("done", "сделано")),
      bind(
        [.char("n")], .noAnswer,
        l.pick("no answer: retry by the no-answer rule", "не дозвонился: повтор по правилу"),
        l.pick("no answer", "не дозв.")),
      bind(
        [.char("z")], .postpone,
        l.pick("postpone: +1 h, +1 d, +3 d, a date", "перенести: +1 ч, +1 д, +3 д, дата"),
        l.pick("postpone", "перенести")),
      bind([.char("r")], .reassign, l.pick("reassign to another user", "передать другому")),
      bind([.char("e")], .edit, l.pick("edit the contact", "изменить контакт")),
      bind(
        [.char("x")], .delete,
        l.pick("cancel the contact (asks first)", "отменить контакт (с подтверждением)")),
    ]
  }

  /// `n` in the duplicates review: the pair is not a duplicate.
  static func notDuplicate(_ l: Language) -> KeyBinding<Action> {
    bind(
      [.char("n")], .notDuplicate,
      l.pick("not a duplicate: leave the pair out from now on", "не дубль: больше не показывать"),
      l.pick("not dup.", "не дубль"))
  }
}
