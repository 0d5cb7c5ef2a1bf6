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
        b(
          [.char("l")], .log,
          l.pick(
            "log a contact: then c call, m meeting, l letter, e e-mail…",
            "записать контакт: затем c звонок, m встреча, l письмо, e e-mail…"),
          l.pick("log", "контакт")),
        b([.char("p")], .plan, l.pick("plan a contact", "запланировать контакт")),
        b(
          [.char("H")], .handover,
          l.pick(
            "hand over the client, the filtered list or all of an owner's clients",
            "передать клиента, отфильтрованный список или всех клиентов владельца")),
        b([.char("t")], .trash, l.pick("show the trash / the clients", "корзина / клиенты")),
        b([.char("r")], .restore, l.pick("restore from the trash", "восстановить из корзины")),
        b(
          [.char("D")], .duplicates,
          l.pick(
            "likely duplicates: compare, merge, mark «not a duplicate»",
            "вероятные дубли: сравнить, объединить, отметить «не дубль»")),
        b(
          [.char(" ")], .mark,
          l.pick("mark / unmark the client for a bulk change", "отметить клиента / снять отметку")),
        b(
          [.char("*")], .markAll,
          l.pick(
            "mark every client the search and filters select (again: unmark)",
            "отметить всех по поиску и фильтрам (ещё раз — снять)")),
        b(
          [.char("B")], .bulk,
          l.pick(
            "bulk change of the marked (or filtered) clients: owner, segment, tag, source, contact",
            "изменить отмеченных (или отобранных): ответственный, сегмент, тег, источник, контакт")),
        b(
          [.escape], .cancel,
          l.pick(
            "clear the marks, then the search and filters",
            "снять отметки, затем сбросить поиск и фильтры")),
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
          [.tab], .nextTab,
          l.pick(
            "requisites / persons / contacts / history / deals / money",
            "реквизиты / лица / контакты / история / сделки / деньги"),
          l.pick("section", "раздел")),
        b(
          [.char("l")], .log,
          l.pick("log a contact (then its kind)", "записать контакт (затем вид)"),
          l.pick("log", "контакт")),
        b(
          [.char("p")], .plan, l.pick("plan a contact", "запланировать контакт"),
          l.pick("plan", "план")),
        b(
          [.char("D")], .addDeal, l.pick("add a deal for the client", "добавить сделку клиенту"),
          l.pick("deal", "сделка")),
        b(
          [.char("e")], .edit, l.pick("edit the client or the person", "изменить клиента или лицо"),
          l.pick("edit", "изменить")),
        b(
          [.char("a")], .add, l.pick("add a contact person", "добавить контактное лицо"),
          l.pick("person", "лицо")),
        b(
          [.enter], .open,
          l.pick(
            "open the selected person, contact, deal or invoice",
            "открыть выбранное лицо, контакт, сделку или счёт"
          )),
        b(
          [.char("i")], .invoice,
          l.pick(
            "money: new invoice (contract or none, sum, VAT, due, item)",
            "деньги: новый счёт (договор или без, сумма, НДС, срок, наименование)"),
          l.pick("invoice", "счёт")),
        b(
          [.char("$"), .char(";")], .payment,
          l.pick(
            "money: record a payment (; is $ in the Russian layout)",
            "деньги: записать оплату (; — это $ в русской раскладке)"),
          l.pick("payment", "оплата")),
        b(
          [.char("K")], .contract,
          l.pick("money: new contract", "деньги: новый договор")),
        b(
          [.char("A")], .act,
          l.pick(
            "money: an act from the selected invoice, or for the selected contract",
            "деньги: акт по выбранному счёту или договору")),
        b(
          [.char("c")], .cancelDocument,
          l.pick(
            "money: cancel the selected invoice or act (asks first)",
            "деньги: отменить выбранный счёт или акт (с подтверждением)")),
        b(
          [.char("d")], .delete,
          l.pick(
            "persons: delete (asks first); contacts: mark the planned one done",
            "лица: удалить (с подтверждением); контакты: отметить выполненным")),
        b(
          [.char("u")], .undo, l.pick("undo your last change", "отменить последнее изменение"),
          l.pick("undo", "отмена")),
        b(
          [.char("h")], .audit,
          l.pick(
            "the audit log of this client (who changed what)",
            "журнал изменений клиента (кто что менял)")),
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

  /// The outcome keys of a planned contact, shared by reminders and the calendar.
  static func outcomes(_ l: Language) -> [KeyBinding<Action>] {
    [
      b(
        [.char("d")], .done, l.pick("done (asks the result)", "сделано (спросит результат)"),
        l.pick("done", "сделано")),
      b(
        [.char("n")], .noAnswer,
        l.pick("no answer: retry by the no-answer rule", "не дозвонился: повтор по правилу"),
        l.pick("no answer", "не дозв.")),
      b(
        [.char("z")], .postpone,
        l.pick("postpone: +1 h, +1 d, +3 d, a date", "перенести: +1 ч, +1 д, +3 д, дата"),
        l.pick("postpone", "перенести")),
      b([.char("r")], .reassign, l.pick("reassign to another user", "передать другому")),
      b([.char("e")], .edit, l.pick("edit the contact", "изменить контакт")),
      b(
        [.char("x")], .delete,
        l.pick("cancel the contact (asks first)", "отменить контакт (с подтверждением)")),
    ]
  }

  public static func reminders(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Reminders", "Напоминания"),
      common(l) + movement(l) + outcomes(l) + [
        b(
          [.enter], .open,
          l.pick(
            "open the client card (an overdue invoice: on its Money section)",
            "открыть карточку клиента (просроченный счёт — на разделе «Деньги»)")),
        b(
          [.char("l")], .log, l.pick("log a contact with the client", "записать контакт с клиентом")
        ),
        b([.char("p")], .plan, l.pick("plan a contact with the client", "запланировать контакт")),
        b(
          [.char("a")], .scope, l.pick("mine / everyone's", "мои / все"),
          l.pick("mine/all", "мои/все")),
        b([.char("T")], .tasks, l.pick("tasks given and received", "задачи: данные и полученные")),
        b([.char("q")], .quit, l.pick("quit", "выход"), l.pick("quit", "выход")),
      ])
  }

  /// Team work: the tasks screen (`T` from Reminders).
  public static func tasks(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Tasks", "Задачи"),
      common(l) + movement(l) + [
        b(
          [.char("a")], .scope, l.pick("mine / given by me", "мне / я дал(а)"),
          l.pick("mine/given", "мне/дал")),
        b(
          [.char("f")], .filter,
          l.pick("open / overdue / done / all", "открытые / просроченные / выполненные / все"),
          l.pick("status", "статус")),
        b(
          [.char("d")], .done, l.pick("mark my to-do done", "отметить мою задачу выполненной"),
          l.pick("done", "сделано")),
        b(
          [.char("x")], .delete,
          l.pick(
            "cancel a task I gave (asks first)", "отменить данную мной задачу (с подтверждением)")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func calendar(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Calendar", "Календарь"),
      common(l) + [
        b([.char("j"), .down], .down, l.pick("next contact", "следующий контакт")),
        b([.char("k"), .up], .up, l.pick("previous contact", "предыдущий контакт")),
        b(
          [.char("h"), .left], .previous, l.pick("previous day", "предыдущий день"),
          l.pick("move", "листать")),
        b([.char("l"), .right], .next, l.pick("next day", "следующий день")),
        b(
          [.pageUp, .char("[")], .pageUp,
          l.pick(
            "previous day / week / month (by the view)", "назад на день / неделю / месяц (по виду)")
        ),
        b(
          [.pageDown, .char("]")], .pageDown,
          l.pick(
            "next day / week / month (by the view)", "вперёд на день / неделю / месяц (по виду)")),
        b([.char("t")], .today, l.pick("today", "сегодня"), l.pick("today", "сегодня")),
        b([.char("D")], .dayView, l.pick("day view", "день")),
        b([.char("W")], .weekView, l.pick("week view", "неделя")),
        b(
          [.char("M")], .monthView, l.pick("month view", "месяц"), l.pick("D/W/M view", "Д/Н/М вид")
        ),
        b(
          [.enter], .open,
          l.pick("open the contact (month view: that day)", "открыть контакт (в месяце — день)"),
          l.pick("open", "открыть")),
        b([.char("c")], .clientCard, l.pick("open the client card", "открыть карточку клиента")),
        b(
          [.char("a")], .add,
          l.pick(
            "plan a contact on the selected day (asks the client №)",
            "запланировать на выбранный день (спросит № клиента)"),
          l.pick("add", "добавить")),
        b(
          [.char("u")], .pickUser,
          l.pick("whose calendar: me, a user, everyone", "чей календарь: мой, пользователя, всех")),
      ] + outcomes(l) + [
        b([.char("q")], .quit, l.pick("quit", "выход"), l.pick("quit", "выход"))
      ])
  }

  public static func kindPicker(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Kind of contact", "Вид контакта"),
      ContactKind.allCases.map { k in b([.char(k.key)], .log, k.name(l)) } + [
        b([.escape], .cancel, l.pick("cancel", "отмена"), l.pick("cancel", "отмена"))
      ])
  }

  public static func bulkMenu(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Bulk change", "Массовое изменение"),
      BulkMenuScreen.choices.map { c in b([.char(c.key)], .bulk, c.name(l)) } + [
        b([.escape], .cancel, l.pick("cancel", "отмена"), l.pick("cancel", "отмена"))
      ])
  }

  public static func funnel(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Funnel", "Воронка"),
      common(l) + [
        b([.char("h"), .left], .previous, l.pick("previous stage", "предыдущий этап")),
        b([.char("l"), .right], .next, l.pick("next stage", "следующий этап")),
        b([.char("j"), .down], .down, l.pick("next deal", "следующая сделка")),
        b([.char("k"), .up], .up, l.pick("previous deal", "предыдущая сделка")),
        b([.pageDown, .ctrl("f")], .pageDown, l.pick("next page of deals", "следующая страница")),
        b(
          [.pageUp, .ctrl("b")], .pageUp, l.pick("previous page of deals", "предыдущая страница")),
        b([.char("g"), .home], .top, l.pick("first deal of the stage", "первая сделка этапа")),
        b([.char("G"), .end], .bottom, l.pick("last deal of the stage", "последняя сделка этапа")),
        b(
          [.enter], .open, l.pick("open the deal card", "открыть карточку сделки"),
          l.pick("open", "открыть")),
        b(
          [.char(">")], .forward,
          l.pick(
            "one stage forward (from the last open stage: won)",
            "на этап вперёд (с последнего открытого — выиграна)"), l.pick("forward", "вперёд")),
        b(
          [.char("<")], .backward, l.pick("one stage back", "на этап назад"),
          l.pick("back", "назад")),
        b(
          [.char("w")], .won, l.pick("mark won (asks first)", "выиграна (с подтверждением)"),
          l.pick("won", "выиграна")),
        b(
          [.char("x")], .lost, l.pick("mark lost (asks the reason)", "проиграна (спросит причину)"),
          l.pick("lost", "проиграна")),
        b(
          [.char("m")], .moveStage, l.pick("move to any stage", "перенести на любой этап"),
          l.pick("stage", "этап")),
        b(
          [.char("a")], .add,
          l.pick(
            "add a deal: pick the client, then the form", "добавить сделку: клиент, затем форма"),
          l.pick("add", "добавить")),
        b(
          [.char("f")], .filter,
          l.pick(
            "filter: owner, created from / to, lead source",
            "фильтр: ответственный, создана с / по, источник"), l.pick("filter", "фильтр")),
        b(
          [.char("u")], .scope, l.pick("mine / everyone's", "мои / все"),
          l.pick("mine/all", "мои/все")),
        b([.char("P")], .nextPipeline, l.pick("next pipeline", "следующая воронка")),
        b([.char("r")], .reload, l.pick("reload", "обновить")),
        b([.escape], .cancel, l.pick("clear the filter", "сбросить фильтр")),
        b([.char("q")], .quit, l.pick("quit", "выход"), l.pick("quit", "выход")),
      ])
  }

  public static func dealCard(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Deal card", "Карточка сделки"),
      common(l) + [
        b([.char("j"), .down], .down, l.pick("scroll down", "прокрутить вниз")),
        b([.char("k"), .up], .up, l.pick("scroll up", "прокрутить вверх")),
        b([.pageDown, .ctrl("f")], .pageDown, l.pick("next page", "следующая страница")),
        b([.pageUp, .ctrl("b")], .pageUp, l.pick("previous page", "предыдущая страница")),
        b([.char("g"), .home], .top, l.pick("to the top", "в начало")),
        b([.char("G"), .end], .bottom, l.pick("to the end", "в конец")),
        b(
          [.char("e")], .edit, l.pick("edit the deal", "изменить сделку"),
          l.pick("edit", "изменить")),
        b(
          [.char(">")], .forward,
          l.pick(
            "one stage forward (from the last open stage: won)",
            "на этап вперёд (с последнего открытого — выиграна)"), l.pick("forward", "вперёд")),
        b(
          [.char("<")], .backward, l.pick("one stage back", "на этап назад"),
          l.pick("back", "назад")),
        b(
          [.char("w")], .won, l.pick("mark won (asks first)", "выиграна (с подтверждением)"),
          l.pick("won", "выиграна")),
        b(
          [.char("x")], .lost, l.pick("mark lost (asks the reason)", "проиграна (спросит причину)"),
          l.pick("lost", "проиграна")),
        b(
          [.char("m")], .moveStage, l.pick("move to any stage", "перенести на любой этап"),
          l.pick("stage", "этап")),
        b(
          [.char("R")], .reopen,
          l.pick("reopen a won or lost deal", "открыть заново выигранную или проигранную")),
        b(
          [.char("l")], .log,
          l.pick("log a contact for this deal (then its kind)", "записать контакт по сделке"),
          l.pick("log", "контакт")),
        b(
          [.char("p")], .plan, l.pick("plan a contact for this deal", "запланировать контакт"),
          l.pick("plan", "план")),
        b([.char("c")], .clientCard, l.pick("open the client card", "открыть карточку клиента")),
        b(
          [.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func picker(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Choose", "Выбор"),
      [
        b([.down, .up], .down, l.pick("next / previous", "следующий / предыдущий")),
        b([.pageDown, .pageUp], .pageDown, l.pick("page down / up", "страница вниз / вверх")),
        b([.enter], .open, l.pick("choose", "выбрать"), l.pick("choose", "выбрать")),
        b(
          [.escape], .cancel, l.pick("cancel", "отмена"), l.pick("cancel", "отмена")),
        b(
          [.ctrl("u")], .cancel,
          l.pick("letters filter the list; ^U clears", "буквы фильтруют список; ^U — очистить"),
          l.pick("clear", "очистить")),
      ])
  }

  public static func placeholder(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Screen", "Экран"),
      common(l) + [b([.char("q")], .quit, l.pick("quit", "выход"), l.pick("quit", "выход"))])
  }

  /// Screen 5. `a` stays free: the audit log screen takes it.
  public static func activity(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Activity", "Активность"),
      common(l) + movement(l) + [
        b(
          [.char("h"), .left], .columnLeft, l.pick("previous column", "предыдущий столбец"),
          l.pick("column", "столбец")),
        b([.char("l"), .right], .columnRight, l.pick("next column", "следующий столбец")),
        b(
          [.enter], .open,
          l.pick(
            "the rows behind the number: contacts, clients or deals",
            "строки за числом: контакты, клиенты или сделки"),
          l.pick("rows", "строки")),
        b(
          [.char("[")], .previous, l.pick("previous period", "предыдущий период"),
          l.pick("period", "период")),
        b([.char("]")], .next, l.pick("next period", "следующий период")),
        b([.char("t")], .today, l.pick("the current period", "текущий период")),
        b(
          [.char("p")], .periodLength,
          l.pick(
            "a week by days, a month by weeks, a quarter by months",
            "неделя по дням, месяц по неделям, квартал по месяцам"),
          l.pick("days/weeks", "дни/недели")),
        b(
          [.char("a")], .audit,
          l.pick(
            "the audit log: who changed what, when (by user, object, period)",
            "журнал изменений: кто что менял и когда (по сотруднику, объекту, периоду)"),
          l.pick("log", "журнал")),
        b([.char("q")], .quit, l.pick("quit", "выход"), l.pick("quit", "выход")),
      ])
  }

  /// The rows behind a number of the activity screen.
  public static func activityDrill(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Activity: rows", "Активность: строки"),
      movement(l) + [
        b(
          [.enter], .open, l.pick("open the client card", "открыть карточку клиента"),
          l.pick("card", "карточка")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func reports(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Reports", "Отчёты"),
      common(l) + [
        b(
          [.tab, .right, .char("l")], .nextSection,
          l.pick(
            "next report: funnel, lead sources, stuck deals, completeness, segments, ABC/XYZ",
            "следующий отчёт: воронка, источники, зависшие, полнота, сегменты, ABC/XYZ"),
          l.pick("section", "раздел")),
        b(
          [.backTab, .left, .char("h")], .previousSection,
          l.pick("previous report", "предыдущий отчёт")),
        b(
          [.char("["), .char("]")], .previous,
          l.pick("previous / next period", "предыдущий / следующий период"),
          l.pick("period", "период")),
        b([.char("t")], .today, l.pick("back to the current period", "текущий период")),
        b(
          [.char("p")], .periodLength,
          l.pick(
            "period: month, quarter, year, all time", "период: месяц, квартал, год, всё время"),
          l.pick("length", "длина")),
        b(
          [.char("o")], .scope, l.pick("owner: everyone / mine", "ответственный: все / мои"),
          l.pick("mine/all", "мои/все")),
        b([.char("P")], .nextPipeline, l.pick("next pipeline", "следующая воронка")),
        b(
          [.char("e")], .edit,
          l.pick(
            "edit the pipeline: stages, lost reasons, lead sources",
            "настроить воронку: этапы, причины проигрыша, источники"),
          l.pick("stages", "этапы")),
        b(
          [.char("b")], .bankQueue,
          l.pick(
            "bank payments waiting for a manager (the queue; the header counts them)",
            "банковские платежи, ждущие менеджера (очередь; их число — в заголовке)")),
        b(
          [.char("s")], .reconcile,
          l.pick(
            "reconcile with accounting: a bank statement (and acts from 1C)",
            "сверка с учётом: выписка банка (и акты из 1С)")),
        b(
          [.enter], .open,
          l.pick(
            "completeness: open the selected client's card",
            "полнота: открыть карточку выбранного клиента")),
        b([.char("j"), .down], .down, l.pick("scroll down a line", "прокрутить на строку вниз")),
        b([.char("k"), .up], .up, l.pick("scroll up a line", "прокрутить на строку вверх")),
        b([.pageDown, .ctrl("f")], .pageDown, l.pick("next page", "следующая страница")),
        b([.pageUp, .ctrl("b")], .pageUp, l.pick("previous page", "предыдущая страница")),
        b([.char("g"), .home], .top, l.pick("to the top", "в начало")),
        b([.char("G"), .end], .bottom, l.pick("to the end", "в конец")),
        b([.char("q")], .quit, l.pick("quit", "выход"), l.pick("quit", "выход")),
      ])
  }

  public static func duplicates(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Duplicates", "Дубли"),
      common(l) + movement(l) + [
        b(
          [.enter], .open,
          l.pick(
            "compare the pair side by side and choose field by field",
            "сравнить пару и выбрать значения по полям"),
          l.pick("compare", "сравнить")),
        b(
          [.char("m")], .merge,
          l.pick(
            "merge as is: the left one stays, lists united (asks first)",
            "объединить как есть: левый остаётся, списки объединяются (с подтверждением)"),
          l.pick("merge", "объединить")),
        b(
          [.char("n")], .notDuplicate,
          l.pick(
            "not a duplicate: leave the pair out from now on", "не дубль: больше не показывать"),
          l.pick("not dup.", "не дубль")),
        b(
          [.char("p")], .switchEntity,
          l.pick("clients / contact persons", "клиенты / контактные лица"),
          l.pick("persons", "лица")),
        b(
          [.char("u")], .undo,
          l.pick(
            "undo the last merge or mark (then your earlier merges)",
            "отменить последнее объединение или отметку (затем ваши прежние объединения)"),
          l.pick("undo", "отмена")),
        b(
          [.char("-"), .char("+")], .previous,
          l.pick(
            "lower / raise the least score shown by 10 (different ИНН score at most 50)",
            "понизить / повысить наименьшую оценку на 10 (разные ИНН — не выше 50)"),
          l.pick("score", "оценка")),
        b([.char("r")], .reload, l.pick("search again", "искать заново")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func mergeCompare(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Compare and merge", "Сравнение и объединение"),
      common(l) + movement(l) + [
        b(
          [.left, .char("h")], .takeLeft, l.pick("take the left value", "взять значение слева"),
          l.pick("left", "слева")),
        b(
          [.right, .char("l")], .takeRight, l.pick("take the right value", "взять значение справа"),
          l.pick("right", "справа")),
        b(
          [.char(" ")], .toggleChoice,
          l.pick(
            "next choice: both (lists and notes), left, right",
            "следующий вариант: оба (списки и заметки), слева, справа")),
        b(
          [.char("s")], .swapSides, l.pick("keep the right one instead", "оставить правого"),
          l.pick("swap", "поменять")),
        b(
          [.char("m")], .merge,
          l.pick(
            "merge: the right one goes to the trash, its persons, contacts, deals and documents "
              + "move (asks first)",
            "объединить: правый уйдёт в корзину, его лица, контакты, сделки и документы перейдут "
              + "(с подтверждением)"),
          l.pick("merge", "объединить")),
        b(
          [.char("n")], .notDuplicate,
          l.pick(
            "not a duplicate: leave the pair out from now on", "не дубль: больше не показывать"),
          l.pick("not dup.", "не дубль")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func bankQueue(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Bank queue", "Очередь банка"),
      common(l) + movement(l) + [
        b(
          [.enter], .open,
          l.pick(
            "assign to a client (search), then to one of its unpaid invoices",
            "привязать к клиенту (поиск), затем к его неоплаченному счёту"),
          l.pick("assign", "привязать")),
        b(
          [.char("x")], .ignore,
          l.pick(
            "set aside: not a client's money (a refund, a loan)",
            "отложить: не оплата клиента (возврат, заём)"),
          l.pick("aside", "отложить")),
        b(
          [.char("u")], .undo,
          l.pick(
            "undo the last assign or set-aside: the payment returns to the queue",
            "отменить последнюю привязку или «отложить»: платёж вернётся в очередь"),
          l.pick("undo", "отмена")),
        b([.char("r")], .reload, l.pick("reload", "обновить")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func reconciliation(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Reconciliation", "Сверка"),
      common(l) + [
        b([.char("j"), .down], .down, l.pick("scroll down a line", "прокрутить на строку вниз")),
        b([.char("k"), .up], .up, l.pick("scroll up a line", "прокрутить на строку вверх")),
        b(
          [.pageDown, .ctrl("f")], .pageDown, l.pick("next page", "следующая страница"),
          l.pick("page", "страница")),
        b([.pageUp, .ctrl("b")], .pageUp, l.pick("previous page", "предыдущая страница")),
        b([.char("g"), .home], .top, l.pick("to the top", "в начало")),
        b([.char("G"), .end], .bottom, l.pick("to the end", "в конец")),
        b(
          [.char("s")], .reconcile, l.pick("another statement", "другая выписка"),
          l.pick("again", "заново")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func invoiceView(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Invoice", "Счёт"),
      common(l) + [
        b([.char("j"), .down], .down, l.pick("scroll down", "прокрутить вниз")),
        b([.char("k"), .up], .up, l.pick("scroll up", "прокрутить вверх")),
        b([.pageDown, .ctrl("f")], .pageDown, l.pick("next page", "следующая страница")),
        b([.pageUp, .ctrl("b")], .pageUp, l.pick("previous page", "предыдущая страница")),
        b(
          [.char("$"), .char(";")], .payment,
          l.pick("record a payment of this invoice", "записать оплату этого счёта"),
          l.pick("payment", "оплата")),
        b(
          [.char("A")], .act, l.pick("an act from this invoice", "акт по этому счёту"),
          l.pick("act", "акт")),
        b(
          [.char("c")], .cancelDocument,
          l.pick("cancel the invoice (asks first)", "отменить счёт (с подтверждением)")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func pipelineEditor(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Pipeline stages", "Этапы воронки"),
      common(l) + movement(l) + [
        b(
          [.char("e")], .edit,
          l.pick(
            "edit the stage: names, probability, stuck days, entry actions",
            "изменить этап: названия, вероятность, срок зависания, действия при входе"),
          l.pick("edit", "правка")),
        b([.enter], .edit, l.pick("edit the stage", "изменить этап")),
        b(
          [.char("a")], .add,
          l.pick("add a stage after the selected one", "добавить этап после выбранного"),
          l.pick("add", "новый")),
        b(
          [.char("d")], .delete,
          l.pick(
            "delete the stage (asks first; refused while it holds deals)",
            "удалить этап (с подтверждением; нельзя, пока на нём есть сделки)"),
          l.pick("delete", "удалить")),
        b(
          [.char("J"), .char("K")], .reorder,
          l.pick("move the stage down / up", "переместить этап ниже / выше"),
          l.pick("move", "порядок")),
        b(
          [.char("L"), .char("S")], .lostReasons,
          l.pick(
            "edit the lists: L lost reasons, S lead sources",
            "списки: L — причины проигрыша, S — источники лидов"), l.pick("lists", "списки")),
        b([.char("P")], .nextPipeline, l.pick("next pipeline", "следующая воронка")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func choiceList(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("List", "Список"),
      common(l) + movement(l) + [
        b(
          [.char("e")], .edit, l.pick("rename the entry", "переименовать"),
          l.pick("rename", "имя")),
        b([.enter], .edit, l.pick("rename the entry", "переименовать")),
        b(
          [.char("a")], .add,
          l.pick("add an entry after the selected one", "добавить после выбранного"),
          l.pick("add", "добавить")),
        b(
          [.char("d")], .delete,
          l.pick("delete the entry (asks first)", "удалить (с подтверждением)"),
          l.pick("delete", "удалить")),
        b(
          [.char("J"), .char("K")], .reorder, l.pick("move down / up", "переместить ниже / выше"),
          l.pick("move", "порядок")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func audit(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Audit log", "Журнал изменений"),
      common(l) + movement(l) + [
        b(
          [.enter], .open, l.pick("every field of the change", "все поля изменения"),
          l.pick("details", "подробно")),
        b([.char("u")], .pickUser, l.pick("whose changes", "чьи изменения"), l.pick("user", "кто")),
        b(
          [.char("e")], .pickEntity,
          l.pick("changes of what: client, deal…", "чего: клиент, сделка…"),
          l.pick("entity", "что")),
        b(
          [.char("p")], .periodLength,
          l.pick("period: today, week, month, all", "период: день, неделя, месяц, всё"),
          l.pick("period", "период")),
        b([.char("[")], .previous, l.pick("previous period", "предыдущий период")),
        b([.char("]")], .next, l.pick("next period", "следующий период")),
        b(
          [.char("c")], .clearFilters, l.pick("clear the filters", "сбросить фильтры"),
          l.pick("clear", "сброс")),
        b([.char("o")], .clientCard, l.pick("open the client card", "открыть карточку клиента")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func auditDetail(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Change", "Изменение"),
      common(l) + [
        b([.char("j"), .down], .down, l.pick("scroll down", "прокрутить вниз")),
        b([.char("k"), .up], .up, l.pick("scroll up", "прокрутить вверх")),
        b([.pageDown], .pageDown, l.pick("page down", "страница вниз")),
        b([.pageUp], .pageUp, l.pick("page up", "страница вверх")),
        b([.char("o")], .clientCard, l.pick("open the client card", "открыть карточку клиента")),
        b([.char("q"), .escape], .back, l.pick("back", "назад"), l.pick("back", "назад")),
      ])
  }

  public static func conflict(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Save conflict", "Конфликт при сохранении"),
      [
        b([.char("j"), .down], .down, l.pick("scroll down", "прокрутить вниз")),
        b([.char("k"), .up], .up, l.pick("scroll up", "прокрутить вверх")),
        b(
          [.char("m")], .keepMine,
          l.pick(
            "keep mine: save my version over the stored one",
            "оставить моё: сохранить мою версию поверх сохранённой"), l.pick("mine", "моё")),
        b(
          [.char("t")], .takeTheirs,
          l.pick(
            "take theirs: drop my changes, keep the stored version",
            "взять сохранённое: отказаться от моих правок"), l.pick("theirs", "их")),
        b(
          [.char("e"), .escape], .backToForm,
          l.pick(
            "back to the form: the stored version with my changes on top",
            "назад в форму: сохранённая версия с моими правками сверху"), l.pick("form", "в форму")),
        b([.char("?")], .help, l.pick("this help", "эта справка"), l.pick("help", "справка")),
      ])
  }

  /// docs/keys.md: every table in both languages. A test fails when the file is stale.
  public static func markdown() -> String {
    var out = "# Keys\n\nGenerated from the key tables in `Sources/CRMApp/KeyTables.swift` by "
    out += "`crm keys > docs/keys.md`; a test fails when this file is stale.\n"
    out += "Letters also work in the Russian ЙЦУКЕН layout (`о` = `j`, `д` = `l`, `.` = `/`).\n"
    for l in Language.allCases {
      out += "\n## \(l == .en ? "English" : "Русский")\n"
      for table in [
        clients(l), search(l), card(l), reminders(l), calendar(l), funnel(l), dealCard(l),
        kindPicker(l), bulkMenu(l), picker(l), form(l), placeholder(l), activity(l),
        activityDrill(l), reports(l), bankQueue(l),
        duplicates(l), mergeCompare(l),
        reconciliation(l), invoiceView(l), pipelineEditor(l), choiceList(l), audit(l),
        auditDetail(l), tasks(l), conflict(l),
      ] {
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
