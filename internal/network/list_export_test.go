package network

// SetParallelListItemsForTest lowers the list length from which list work
// runs on every CPU, until the returned func restores it.
func SetParallelListItemsForTest(n int) (restore func()) {
	old := parallelListItems
	parallelListItems = n
	return func() { parallelListItems = old }
}
