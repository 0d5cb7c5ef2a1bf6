import CRMCore
import TerminalUI

extension ConflictScreen {
  nonisolated static let keyTitle = (en: "Save conflict", ru: "Конфликт при сохранении")
  nonisolated static let keyGroups: [KeyGroup] = [.scroll]
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("m")], .keepMine,
        l.pick(
          "keep mine: save my version over the stored one",
          "оставить моё: сохранить мою версию поверх сохранённой"), l.pick("mine", "моё")),
      bind(
        [.char("t")], .takeTheirs,
        l.pick(
          "take theirs: drop my changes, keep the stored version",
          "взять сохранённое: отказаться от моих правок"), l.pick("theirs", "их")),
      bind(
        [.char("e"), .escape], .backToForm,
        l.pick(
          "back to the form: the stored version with my changes on top",
          "назад в форму: сохранённая версия с моими правками сверху"), l.pick("form", "в форму")),
      SharedKeys.help(l),
    ]
  }
}
