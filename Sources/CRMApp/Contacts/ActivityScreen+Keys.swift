import CRMCore
import TerminalUI

extension ActivityScreen {
  /// Screen 5. `a` stays free: the audit log screen takes it.
  public nonisolated static let keyTitle = (en: "Activity", ru: "Активность")
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("h"), .left], .columnLeft, l.pick("previous column", "предыдущий столбец"),
        l.pick("column", "столбец")),
      bind([.char("l"), .right], .columnRight, l.pick("next column", "следующий столбец")),
      bind(
        [.enter], .open,
        l.pick(
          "the rows behind the number: contacts, clients or deals",
          "строки за числом: контакты, клиенты или сделки"),
        l.pick("rows", "строки")),
    ] + SharedKeys.periods(l, hint: l.pick("period", "период")) + [
      bind([.char("t")], .today, l.pick("the current period", "текущий период")),
      bind(
        [.char("p")], .periodLength,
        l.pick(
          "a week by days, a month by weeks, a quarter by months",
          "неделя по дням, месяц по неделям, квартал по месяцам"),
        l.pick("days/weeks", "дни/недели")),
      bind(
        [.char("a")], .audit,
        l.pick(
          "the audit log: who changed what, when (by user, object, period)",
          "журнал изменений: кто что менял и когда (по сотруднику, объекту, периоду)"),
        l.pick("log", "журнал")),
      bind(
        [.char("c")], .requisites,
        l.pick(
          "our company's requisites for invoices, acts and offers (admins change them)",
          "реквизиты нашей организации для счетов, актов и КП (меняет администратор)"),
        l.pick("requisites", "реквизиты")),
      SharedKeys.quit(l),
    ]
  }
}

extension ActivityDrillScreen {
  /// The rows behind a number of the activity screen.
  public nonisolated static let keyTitle = (en: "Activity: rows", ru: "Активность: строки")
  public nonisolated static let keyGroups: [KeyGroup] = [.movement]
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.enter], .open, l.pick("open the client card", "открыть карточку клиента"),
        l.pick("card", "карточка")),
      SharedKeys.back(l),
    ]
  }
}
