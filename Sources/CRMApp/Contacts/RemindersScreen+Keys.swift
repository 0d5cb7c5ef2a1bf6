import CRMCore
import TerminalUI

extension RemindersScreen {
  public nonisolated static let keyTitle = (en: "Reminders", ru: "Напоминания")
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    SharedKeys.outcomes(l) + [
      bind(
        [.enter], .open,
        l.pick(
          "open the client card (an overdue invoice: on its Money section)",
          "открыть карточку клиента (просроченный счёт — на разделе «Деньги»)")),
      bind(
        [.char("l")], .log, l.pick("log a contact with the client", "записать контакт с клиентом")
      ),
      bind(
        [.char("p")], .plan, l.pick("plan a contact with the client", "запланировать контакт")),
      SharedKeys.mineOrAll("a", l),
      bind(
        [.char("T")], .tasks, l.pick("tasks given and received", "задачи: данные и полученные")),
      SharedKeys.quit(l),
    ]
  }
}
