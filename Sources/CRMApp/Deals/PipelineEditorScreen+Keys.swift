import CRMCore
import TerminalUI

extension PipelineEditorScreen {
  public nonisolated static let keyTitle = (en: "Pipeline stages", ru: "Этапы воронки")
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("e")], .edit,
        l.pick(
          "edit the stage: names, probability, stuck days, entry actions",
          "изменить этап: названия, вероятность, срок зависания, действия при входе"),
        l.pick("edit", "правка")),
      bind([.enter], .edit, l.pick("edit the stage", "изменить этап")),
      bind(
        [.char("a")], .add,
        l.pick("add a stage after the selected one", "добавить этап после выбранного"),
        l.pick("add", "новый")),
      bind(
        [.char("d")], .delete,
        l.pick(
          "delete the stage (asks first; refused while it holds deals)",
          "удалить этап (с подтверждением; нельзя, пока на нём есть сделки)"),
        l.pick("delete", "удалить")),
      bind(
        [.char("J"), .char("K")], .reorder,
        l.pick("move the stage down / up", "переместить этап ниже / выше"),
        l.pick("move", "порядок")),
      bind(
        [.char("L"), .char("S"), .char("O")], .lostReasons,
        l.pick(
          "edit the lists: L lost reasons, S lead sources, O contact outcomes",
          "списки: L — причины проигрыша, S — источники лидов, O — результаты контактов"),
        l.pick("lists", "списки")),
      SharedKeys.nextPipeline(l),
      SharedKeys.back(l),
    ]
  }
}
