import CRMCore
import TerminalUI

extension FunnelScreen {
  public nonisolated static let keyTitle = (en: "Funnel", ru: "Воронка")
  public nonisolated static let keyGroups: [KeyGroup] = [.common]
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind([.char("h"), .left], .previous, l.pick("previous stage", "предыдущий этап")),
      bind([.char("l"), .right], .next, l.pick("next stage", "следующий этап")),
      bind([.char("j"), .down], .down, l.pick("next deal", "следующая сделка")),
      bind([.char("k"), .up], .up, l.pick("previous deal", "предыдущая сделка")),
      bind(
        [.pageDown, .ctrl("f")], .pageDown, l.pick("next page of deals", "следующая страница")),
      bind(
        [.pageUp, .ctrl("b")], .pageUp, l.pick("previous page of deals", "предыдущая страница")),
      bind([.char("g"), .home], .top, l.pick("first deal of the stage", "первая сделка этапа")),
      bind(
        [.char("G"), .end], .bottom, l.pick("last deal of the stage", "последняя сделка этапа")),
      bind(
        [.enter], .open, l.pick("open the deal card", "открыть карточку сделки"),
        l.pick("open", "открыть")),
    ] + SharedKeys.dealMoves(l) + [
      bind(
        [.char("a")], .add,
        l.pick(
          "add a deal: pick the client, then the form", "добавить сделку: клиент, затем форма"),
        l.pick("add", "добавить")),
      bind(
        [.char("f")], .filter,
        l.pick(
          "filter: owner, created from / to, lead source",
          "фильтр: ответственный, создана с / по, источник"), l.pick("filter", "фильтр")),
      SharedKeys.mineOrAll("u", l),
      SharedKeys.nextPipeline(l),
      SharedKeys.reload(l),
      bind([.escape], .cancel, l.pick("clear the filter", "сбросить фильтр")),
      SharedKeys.quit(l),
    ]
  }
}
