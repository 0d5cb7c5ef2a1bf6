import CRMCore
import TerminalUI

extension TasksScreen {
  /// Team work: the tasks screen (`T` from Reminders).
  public nonisolated static let keyTitle = (en: "Tasks", ru: "Задачи")
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("a")], .scope, l.pick("mine / given by me", "мне / я дал(а)"),
        l.pick("mine/given", "мне/дал")),
      bind(
        [.char("f")], .filter,
        l.pick("open / overdue / done / all", "открытые / просроченные / выполненные / все"),
        l.pick("status", "статус")),
      bind(
        [.char("d")], .done, l.pick("mark my to-do done", "отметить мою задачу выполненной"),
        l.pick("done", "сделано")),
      bind(
        [.char("x")], .delete,
        l.pick(
          "cancel a task I gave (asks first)", "отменить данную мной задачу (с подтверждением)")),
      SharedKeys.back(l),
    ]
  }
}
