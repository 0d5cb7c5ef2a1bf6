/// Every action a key can trigger, across screens.
public enum Action: String, Hashable, Sendable, CaseIterable {
  case down, up, pageDown, pageUp, top, bottom
  case search, open, add, edit, delete, undo, sort, reverse, filter, trash, restore
  case nextTab, help, back, quit, save, cancel
  case log, plan, done, noAnswer, postpone, reassign, scope, handover
  case previous, next, today, dayView, weekView, monthView, pickUser, clientCard
  case forward, backward, won, lost, moveStage, nextPipeline, reload, addDeal, reopen
  case nextSection, previousSection, periodLength, reorder, lostReasons
  case invoice, payment, contract, act, cancelDocument, bankQueue, reconcile, ignore
  case sendMail
  // The duplicates review.
  case duplicates, merge, notDuplicate, switchEntity, takeLeft, takeRight, toggleChoice, swapSides
  case mark, markAll, bulk
  // The audit log.
  case audit, pickEntity, clearFilters
  // Team work: the tasks screen.
  case tasks
  // The activity screen.
  case columnLeft, columnRight
  // The conflict screen (a save that met someone else's change).
  case keepMine, takeTheirs, backToForm
  // Moves a manager expects: cancel a planned contact from the card, offers of a deal, copy.
  case cancelContact, offers, copy, choose, discount, offerHeader, copyOffer, markSent
  // Our company's requisites (from the activity screen).
  case requisites, makeDefault
  // Documents as PDF: write the file (and show its path), or write it and open it.
  case pdf, openPDF
  // The client card's mail thread.
  case mailThread
  // Files of a client or a deal: open the selected one with the user's opener.
  case files
}
