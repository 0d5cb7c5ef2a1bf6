import CRMCore
import TerminalUI

extension DuplicatesScreen {
  nonisolated static let keyTitle = (en: "Duplicates", ru: "Дубли")
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.enter], .open,
        l.pick(
          "compare the pair side by side and choose field by field",
          "сравнить пару и выбрать значения по полям"),
        l.pick("compare", "сравнить")),
      bind(
        [.char("m")], .merge,
        l.pick(
          "merge as is: the left one stays, lists united (asks first)",
          "объединить как есть: левый остаётся, списки объединяются (с подтверждением)"),
        l.pick("merge", "объединить")),
      SharedKeys.notDuplicate(l),
      bind(
        [.char("p")], .switchEntity,
        l.pick("clients / contact persons", "клиенты / контактные лица"),
        l.pick("persons", "лица")),
      bind(
        [.char("u")], .undo,
        l.pick(
          "undo the last merge or mark (then your earlier merges)",
          "отменить последнее объединение или отметку (затем ваши прежние объединения)"),
        l.pick("undo", "отмена")),
      bind(
        [.char("-"), .char("+")], .previous,
        l.pick(
          "lower / raise the least score shown by 10 (different ИНН score at most 50)",
          "понизить / повысить наименьшую оценку на 10 (разные ИНН — не выше 50)"),
        l.pick("score", "оценка")),
      bind([.char("r")], .reload, l.pick("search again", "искать заново")),
      SharedKeys.back(l),
    ]
  }
}

extension MergeCompareScreen {
  nonisolated static let keyTitle = (en: "Compare and merge", ru: "Сравнение и объединение")
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.left, .char("h")], .takeLeft, l.pick("take the left value", "взять значение слева"),
        l.pick("left", "слева")),
      bind(
        [.right, .char("l")], .takeRight, l.pick("take the right value", "взять значение справа"),
        l.pick("right", "справа")),
      bind(
        [.char(" ")], .toggleChoice,
        l.pick(
          "next choice: both (lists and notes), left, right",
          "следующий вариант: оба (списки и заметки), слева, справа")),
      bind(
        [.char("s")], .swapSides, l.pick("keep the right one instead", "оставить правого"),
        l.pick("swap", "поменять")),
      bind(
        [.char("m")], .merge,
        l.pick(
          "merge: the right one goes to the trash, its persons, contacts, deals and documents "
            + "move (asks first)",
          "объединить: правый уйдёт в корзину, его лица, контакты, сделки и документы перейдут "
            + "(с подтверждением)"),
        l.pick("merge", "объединить")),
      SharedKeys.notDuplicate(l),
      SharedKeys.back(l),
    ]
  }
}
