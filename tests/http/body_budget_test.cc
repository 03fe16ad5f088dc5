#include "http/body_budget.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace connectplane::http {
namespace {

TEST(BodyBudgetTest, ReservesWhileBytesFitAndReleasesThem) {
  BodyBudget budget(100);

  EXPECT_TRUE(budget.TryReserve(60));
  EXPECT_TRUE(budget.TryReserve(40));
  EXPECT_FALSE(budget.TryReserve(1));
  EXPECT_EQ(budget.reserved_bytes(), 100u);

  budget.Release(40);
  EXPECT_EQ(budget.reserved_bytes(), 60u);
  EXPECT_TRUE(budget.TryReserve(40));
}

TEST(BodyBudgetTest, QueuedWaitersAreGrantedInOrderAsBytesReturn) {
  BodyBudget budget(100);
  ASSERT_TRUE(budget.TryReserve(100));
  std::vector<std::string> granted;
  budget.Enqueue(70, [&] { granted.push_back("first 70"); });
  budget.Enqueue(30, [&] { granted.push_back("second 30"); });
  budget.Enqueue(50, [&] { granted.push_back("third 50"); });

  budget.Release(60);  // 40 free: the first waiter (70) does not fit yet
  EXPECT_TRUE(granted.empty());
  budget.Release(40);  // 100 free: 70 + 30 fit, 50 does not
  EXPECT_EQ(granted, (std::vector<std::string>{"first 70", "second 30"}));
  EXPECT_EQ(budget.reserved_bytes(), 100u);

  budget.Release(70);
  EXPECT_EQ(granted.back(), "third 50");
  EXPECT_EQ(budget.reserved_bytes(), 80u);
}

TEST(BodyBudgetTest, NewcomerDoesNotOvertakeAQueuedWaiter) {
  BodyBudget budget(100);
  ASSERT_TRUE(budget.TryReserve(50));
  bool big_granted = false;
  budget.Enqueue(80, [&] { big_granted = true; });

  // 50 bytes are free, but the queued 80-byte body came first.
  EXPECT_FALSE(budget.TryReserve(10));
  budget.Release(50);
  EXPECT_TRUE(big_granted);
}

TEST(BodyBudgetTest, CancelledWaiterIsNeverGrantedAndUnblocksTheNext) {
  BodyBudget budget(100);
  ASSERT_TRUE(budget.TryReserve(60));
  bool big_granted = false;
  bool small_granted = false;
  const BodyBudget::Ticket big = budget.Enqueue(90, [&] { big_granted = true; });
  budget.Enqueue(40, [&] { small_granted = true; });

  budget.Cancel(big);  // the 40-byte waiter fits in the 40 free bytes

  EXPECT_TRUE(small_granted);
  budget.Release(100);
  EXPECT_FALSE(big_granted);
  budget.Cancel(big);  // unknown by now: no effect
}

TEST(BodyBudgetTest, CloseDropsWaitersWithoutGranting) {
  BodyBudget budget(10);
  ASSERT_TRUE(budget.TryReserve(10));
  bool granted = false;
  budget.Enqueue(10, [&] { granted = true; });
  budget.Close();
  budget.Enqueue(5, [&] { granted = true; });

  budget.Release(10);

  EXPECT_FALSE(granted);
  EXPECT_EQ(budget.reserved_bytes(), 0u);
}

}  // namespace
}  // namespace connectplane::http
