import CRMCore
import TerminalUI

extension DealCardScreen {
  nonisolated static let keyTitle = (en: "Deal card", ru: "Карточка сделки")
  nonisolated static let keyGroups: [KeyGroup] = [.common, .textView]
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("e")], .edit, l.pick("edit the deal", "изменить сделку"),
        l.pick("edit", "изменить"))
    ] + SharedKeys.dealMoves(l) + [
      bind(
        [.char("R")], .reopen,
        l.pick("reopen a won or lost deal", "открыть заново выигранную или проигранную")),
      bind(
        [.char("l")], .log,
        l.pick("log a contact for this deal (then its kind)", "записать контакт по сделке"),
        l.pick("log", "контакт")),
      bind(
        [.char("p")], .plan, l.pick("plan a contact for this deal", "запланировать контакт"),
        l.pick("plan", "план")),
      bind(
        [.char("o")], .offers,
        l.pick(
          "commercial offers of the deal: lines, discounts, copy",
          "коммерческие предложения по сделке: строки, скидки, копии"),
        l.pick("offers", "КП")),
      bind(
        [.char("F")], .files,
        l.pick(
          "the deal's files: pick one to open it (opener in your config file)",
          "файлы сделки: выбрать и открыть (opener в файле настроек)"),
        l.pick("files", "файлы")),
      SharedKeys.clientCard("c", l),
      SharedKeys.back(l),
    ]
  }
}
