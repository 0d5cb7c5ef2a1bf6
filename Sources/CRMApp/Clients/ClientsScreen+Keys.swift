import CRMCore
import TerminalUI

extension ClientsScreen {
  public nonisolated static let keyTitle = (en: "Clients", ru: "Клиенты")
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("/")], .search, l.pick("search as you type", "поиск по мере ввода"),
        l.pick("search", "поиск")),
      bind(
        [.enter], .open, l.pick("open the client card", "открыть карточку"),
        l.pick("open", "открыть")),
      bind(
        [.char("a")], .add, l.pick("quick add a client", "быстро добавить клиента"),
        l.pick("add", "добавить")),
      bind(
        [.char("e")], .edit, l.pick("edit the client", "изменить клиента"),
        l.pick("edit", "изменить")),
      bind(
        [.char("d")], .delete,
        l.pick("move to the trash (asks first)", "в корзину (с подтверждением)"),
        l.pick("delete", "удалить")),
      SharedKeys.undo(l),
      bind(
        [.char("s")], .sort,
        l.pick(
          "sort by the next column (a search lists the best matches first until then)",
          "сортировать по следующему столбцу (до этого поиск показывает лучшие совпадения первыми)"),
        l.pick("sort", "сорт.")),
      bind([.char("S")], .reverse, l.pick("reverse the order", "обратный порядок")),
      bind(
        [.char("f")], .filter,
        l.pick("filter by segment, owner, tag", "фильтр: сегмент, ответственный, тег"),
        l.pick("filter", "фильтр")),
      bind(
        [.char("l")], .log,
        l.pick(
          "log a contact: then c call, m meeting, l letter, e e-mail…",
          "записать контакт: затем c звонок, m встреча, l письмо, e e-mail…"),
        l.pick("log", "контакт")),
      bind([.char("p")], .plan, l.pick("plan a contact", "запланировать контакт")),
      bind(
        [.char("H")], .handover,
        l.pick(
          "hand over the client, the filtered list or all of an owner's clients",
          "передать клиента, отфильтрованный список или всех клиентов владельца")),
      bind([.char("t")], .trash, l.pick("show the trash / the clients", "корзина / клиенты")),
      bind([.char("r")], .restore, l.pick("restore from the trash", "восстановить из корзины")),
      bind(
        [.char("D")], .duplicates,
        l.pick(
          "likely duplicates: compare, merge, mark «not a duplicate»",
          "вероятные дубли: сравнить, объединить, отметить «не дубль»")),
      bind(
        [.char(" ")], .mark,
        l.pick("mark / unmark the client for a bulk change", "отметить клиента / снять отметку")),
      bind(
        [.char("*")], .markAll,
        l.pick(
          "mark every client the search and filters select (again: unmark)",
          "отметить всех по поиску и фильтрам (ещё раз — снять)")),
      bind(
        [.char("B")], .bulk,
        l.pick(
          "bulk change of the marked (or filtered) clients: owner, segment, tag, source, contact",
          "изменить отмеченных (или отобранных): ответственный, сегмент, тег, источник, контакт")),
      bind(
        [.escape], .cancel,
        l.pick(
          "clear the marks, then the search and filters",
          "снять отметки, затем сбросить поиск и фильтры")),
      SharedKeys.quit(l),
    ]
  }
}

extension ClientsScreen {
  public nonisolated static func searchKeyTable(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Search", "Поиск"),
      [
        bind(
          [.enter, .down], .open, l.pick("go to the results", "перейти к результатам"),
          l.pick("results", "к списку")),
        bind(
          [.escape], .cancel, l.pick("clear the search", "очистить поиск"),
          l.pick("clear", "очистить")),
        bind([.ctrl("u")], .cancel, l.pick("delete to the start", "стереть до начала")),
        bind([.ctrl("w")], .cancel, l.pick("delete a word", "стереть слово")),
      ])
  }
}

extension PlaceholderScreen {
  nonisolated static let keyTitle = (en: "Screen", ru: "Экран")
  nonisolated static let keyGroups: [KeyGroup] = [.common]
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [SharedKeys.quit(l)]
  }
}
