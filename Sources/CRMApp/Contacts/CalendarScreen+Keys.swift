import CRMCore
import TerminalUI

extension CalendarScreen {
  public nonisolated static let keyTitle = (en: "Calendar", ru: "Календарь")
  public nonisolated static let keyGroups: [KeyGroup] = [.common]
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind([.char("j"), .down], .down, l.pick("next contact", "следующий контакт")),
      bind([.char("k"), .up], .up, l.pick("previous contact", "предыдущий контакт")),
      bind(
        [.char("h"), .left], .previous, l.pick("previous day", "предыдущий день"),
        l.pick("move", "листать")),
      bind([.char("l"), .right], .next, l.pick("next day", "следующий день")),
      bind(
        [.pageUp, .char("[")], .pageUp,
        l.pick(
          "previous day / week / month (by the view)", "назад на день / неделю / месяц (по виду)")
      ),
      bind(
        [.pageDown, .char("]")], .pageDown,
        l.pick(
          "next day / week / month (by the view)", "вперёд на день / неделю / месяц (по виду)")),
      bind([.char("t")], .today, l.pick("today", "сегодня"), l.pick("today", "сегодня")),
      bind([.char("D")], .dayView, l.pick("day view", "день")),
      bind([.char("W")], .weekView, l.pick("week view", "неделя")),
      bind(
        [.char("M")], .monthView, l.pick("month view", "месяц"), l.pick("D/W/M view", "Д/Н/М вид")
      ),
      bind(
        [.enter], .open,
        l.pick("open the contact (month view: that day)", "открыть контакт (в месяце — день)"),
        l.pick("open", "открыть")),
      SharedKeys.clientCard("c", l),
      bind(
        [.char("a")], .add,
        l.pick(
          "plan a contact on the selected day (pick the client: name, phone, INN)",
          "запланировать на выбранный день (выбор клиента: название, телефон, ИНН)"),
        l.pick("add", "добавить")),
      bind(
        [.char("u")], .pickUser,
        l.pick("whose calendar: me, a user, everyone", "чей календарь: мой, пользователя, всех")),
    ] + SharedKeys.outcomes(l) + [
      SharedKeys.quit(l)
    ]
  }
}
