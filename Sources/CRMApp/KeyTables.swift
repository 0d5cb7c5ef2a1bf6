import CRMCore
import TerminalUI

/// The key tables of every screen, in one place: dispatch, hints, `?` help and docs/keys.md.
public enum KeyTables {
  static func b(_ keys: [Key], _ a: Action, _ help: String, _ hint: String? = nil) -> KeyBinding<
    Action
  > {
    KeyBinding(keys, a, help: help, hint: hint)
  }

  static func movement(_ l: Language) -> [KeyBinding<Action>] {
    [
      b([.char("j"), .down], .down, l.pick("next row", "следующая строка")),
      b([.char("k"), .up], .up, l.pick("previous row", "предыдущая строка")),
      b([.pageDown, .ctrl("f")], .pageDown, l.pick("next page", "следующая страница")),
      b([.pageUp, .ctrl("b")], .pageUp, l.pick("previous page", "предыдущая страница")),
      b([.char("g"), .home], .top, l.pick("first row", "первая строка")),
      b([.char("G"), .end], .bottom, l.pick("last row", "последняя строка")),
    ]
  }

  static func common(_ l: Language) -> [KeyBinding<Action>] {
    [
      b(
        [.char("1"), .char("2"), .char("3"), .char("4"), .char("5"), .char("6")], .nextTab,
        l.pick(
          "switch screen: clients, calendar, reminders, funnel, activity, reports",
          "экран: клиенты, календарь, напоминания, воронка, активность, отчёты")),
      b([.char("?")], .help, l.pick("this help", "эта справка"), l.pick("help", "справка")),
    ]
  }

  public static func clients(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Clients", "Клиенты"),
      common(l) + movement(l) + [
        b(
          [.char("/")], .search, l.pick("search as you type", "поиск по мере ввода"),
          l.pick("search", "поиск")),
        b(
          [.enter], .open, l.pick("open the client card", "открыть карточку"),
          l.pick("open", "открыть")),
        b(
          [.char("a")], .add, l.pick("quick add a client", "быстро добавить клиента"),
          l.pick("add", "добавить")),
        b(
          [.char("e")], .edit, l.pick("edit the client", "изменить клиента"),
          l.pick("edit", "изменить")),
        b(
          [.char("d")], .delete,
          l.pick("move to the trash (asks first)", "в корзину (с подтверждением)"),
          l.pick("delete", "удалить")),
        b(
          [.char("u")], .undo, l.pick("undo your last change", "отменить последнее изменение"),
          l.pick("undo", "отмена")),
        b(
          [.char("s")], .sort,
          l.pick("sort by the next column", "сортировать по следующему столбцу"),
          l.pick("sort", "сорт.")),
        b([.char("S")], .reverse, l.pick("reverse the order", "обратный порядок")),
        b(
          [.char("f")], .filter,
          l.pick("filter by segment, owner, tag", "фильтр: сегмент, ответственный, тег"),
          l.pick("filter", "фильтр")),
        b([.char("t")], .trash, l.pick("show the trash / the clients", "корзина / клиенты")),
        b([.char("r")], .restore, l.pick("restore from the trash", "восстановить из корзины")),
        b([.escape], .cancel, l.pick("clear the search and filters", "сбросить поиск и фильтры")),
        b([.char("q")], .quit, l.pick("quit", "выход"), l.pick("quit", "выход")),
      ])
  }

  public static func search(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Search", "Поиск"),
      [
        b(
          [.enter, .down], .open, l.pick("go to the results", "перейти к результатам"),
          l.pick("results", "к списку")),
        b(
          [.escape], .cancel, l.pick("clear the search", "очистить поиск"),
          l.pick("clear", "очистить")),
        b([.ctrl("u")], .cancel, l.pick("delete to the start", "стереть до начала")),
        b([.ctrl("w")], .cancel, l.pick("delete a word", "стереть слово")),
      ])
  }

  public static func card(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Client card", "Карточка клиента"),
      common(l) + movement(l) + [
        b(
          [.tab], .nextTab, l.pick("requisites / persons / history", "реквизиты / лица / история"),
          l.pick("section", "раздел")),
        b(
          [.char("e")], .edit, l.pick("edit the client or the person", "изменить клиента или лицо"),
          l.pick("edit", "изменить")),
        b(
          [.char("a")], .add, l.pick("add a contact person", "добавить контактное лицо"),
          l.pick("person", "лицо")),
        b([.enter], .open, l.pick("edit the selected person", "изменить выбранное лицо")),
        b(
          [.char("d")], .delete,
          l.pick("delete the person (asks first)", "удалить лицо (с подтверждением)")),
        b(
          [.char("u")], .undo, l.pick("undo your last change", "отменить последнее изменение"),
          l.pick("undo", "отмена")),
        b(
          [.char("q"), .escape], .back, l.pick("back to the list", "назад к списку"),
          l.pick("back", "назад")),
      ])
  }

  public static func form(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Form", "Форма"),
      [
        b([.tab, .down], .down, l.pick("next field", "следующее поле"), l.pick("next", "далее")),
        b([.backTab, .up], .up, l.pick("previous field", "предыдущее поле")),
        b(
          [.enter], .down,
          l.pick("next field; saves on the last", "следующее поле; на последнем — сохранить")),
        b(
          [.ctrl("s"), .function(2)], .save, l.pick("save", "сохранить"),
          l.pick("save", "сохранить")),
        b([.escape], .cancel, l.pick("cancel", "отмена"), l.pick("cancel", "отмена")),
        b(
          [.ctrl("u")], .cancel,
          l.pick("delete to the start of the field", "стереть до начала поля")),
      ])
  }

  public static func placeholder(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Screen", "Экран"),
      common(l) + [b([.char("q")], .quit, l.pick("quit", "выход"), l.pick("quit", "выход"))])
  }

  /// docs/keys.md: every table in both languages. A test fails when the file is stale.
  public static func markdown() -> String {
    var out = "# Keys\n\nGenerated from the key tables in `Sources/CRMApp/KeyTables.swift` by "
    out += "`crm keys > docs/keys.md`; a test fails when this file is stale.\n"
    out += "Letters also work in the Russian ЙЦУКЕН layout (`о` = `j`, `д` = `l`, `.` = `/`).\n"
    for l in Language.allCases {
      out += "\n## \(l == .en ? "English" : "Русский")\n"
      for table in [clients(l), search(l), card(l), form(l), placeholder(l)] {
        out +=
          "\n### \(table.title)\n\n| \(l.pick("keys", "клавиши")) | \(l.pick("action", "действие")) |\n| --- | --- |\n"
        for binding in table.bindings {
          let keys = binding.keys.map { "`\($0.label == "`" ? "'`'" : $0.label)`" }.joined(
            separator: " ")
          out += "| \(keys) | \(binding.help) |\n"
        }
      }
    }
    return out
  }
}
