package network_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/testutil/network"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
)

// TestVaultFundsMarketsThroughTheRunningChain: a vault with two depositors
// funds two markets over live evaluations of real iris models; a basket
// buys one model in both; the evaluations finalize through the sidecars,
// the markets settle and pay the vault; the depositors withdraw what the
// vault is worth; collateral supply is unchanged.
func TestVaultFundsMarketsThroughTheRunningChain(t *testing.T) {
	net, _ := startEvaluationWith(t, network.Setup{Validators: 4, Sidecars: 4}, false)
	api := net.Nodes[0].API()
	alice, bob, carol := net.Accounts["alice"].String(), net.Accounts["bob"].String(), net.Accounts["carol"].String()
	supply := collateralSupply(t, api)
	wait := func() { require.NoError(t, net.WaitForHeight(net.Height()+1, 20*time.Second)) }

	broadcast(t, net, "alice", &vaulttypes.MsgCreateVault{Manager: alice, Name: "iris fund", CollateralDenom: "uusdc",
		Category: []uint64{1}, SubsidyCap: math.NewInt(20_000_000), MinFeeBps: 50, Rule: vaulttypes.FUND_RULE_CATEGORY})
	wait()
	broadcast(t, net, "bob", &vaulttypes.MsgDeposit{VaultId: 1, Depositor: bob, Amount: math.NewInt(30_000_000)})
	broadcast(t, net, "carol", &vaulttypes.MsgDeposit{VaultId: 1, Depositor: carol, Amount: math.NewInt(10_000_000)})
	wait()
	for i := 0; i < 2; i++ {
		broadcast(t, net, "alice", &markettypes.MsgCreateMarket{Creator: alice, Title: "iris", CollateralDenom: "uusdc",
			Liquidity: math.NewInt(10_000_000), FeeBps: 100, VaultId: 1,
			Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 30,
				BlocksBetweenRounds: 3, StartDelay: 6, DeadlineBlocks: 30}})
		wait()
	}
	var vault struct {
		Vault struct {
			Locked  string `json:"locked"`
			Markets string `json:"markets"`
		} `json:"vault"`
	}
	require.Eventually(t, func() bool {
		return tryGetJSON(api+"/delphi/vault/v1/vaults/1", &vault) == nil && vault.Vault.Markets == "2"
	}, 20*time.Second, 200*time.Millisecond, "the vault funded both markets")
	require.Equal(t, "13862944", vault.Vault.Locked, "2 × ⌈10^7·ln 2⌉")

	broadcast(t, net, "carol", &vaulttypes.MsgBuyBasket{Buyer: carol, ModelIds: []uint64{2},
		AmountPerLeg: math.NewInt(2_000_000), MaxCost: math.NewInt(4_000_000)})
	var pos struct {
		Positions []struct {
			MarketID string `json:"market_id"`
		} `json:"positions"`
	}
	require.Eventually(t, func() bool {
		return tryGetJSON(api+"/delphi/market/v1/positions/"+carol, &pos) == nil && len(pos.Positions) == 2
	}, 20*time.Second, 200*time.Millisecond, "the basket bought model 2 in both markets")

	var markets struct {
		Markets []struct {
			Status string `json:"status"`
		} `json:"markets"`
	}
	require.Eventually(t, func() bool {
		if tryGetJSON(api+"/delphi/market/v1/markets?status=MARKET_STATUS_RESOLVED", &markets) != nil {
			return false
		}
		return len(markets.Markets) == 2
	}, 120*time.Second, 500*time.Millisecond, "both markets settled")
	var vm struct {
		Markets []struct {
			Subsidy  string `json:"subsidy"`
			Returned string `json:"returned"`
			Settled  bool   `json:"settled"`
		} `json:"markets"`
	}
	getJSON(t, api+"/delphi/vault/v1/vaults/1/markets", &vm)
	require.Len(t, vm.Markets, 2)
	for _, m := range vm.Markets {
		require.True(t, m.Settled)
	}

	// Carol redeems; then both depositors withdraw everything.
	broadcast(t, net, "carol", &markettypes.MsgRedeem{Owner: carol, MarketId: 1})
	wait()
	broadcast(t, net, "carol", &markettypes.MsgRedeem{Owner: carol, MarketId: 2})
	wait()
	for _, who := range []struct{ name, addr string }{{"bob", bob}, {"carol", carol}} {
		var d struct {
			Shares string `json:"shares"`
			Value  string `json:"value"`
		}
		getJSON(t, api+"/delphi/vault/v1/vaults/1/depositors/"+who.addr, &d)
		shares, ok := math.NewIntFromString(d.Shares)
		require.True(t, ok)
		before := balanceOf(t, api, who.addr)
		value, _ := math.NewIntFromString(d.Value)
		broadcast(t, net, who.name, &vaulttypes.MsgWithdraw{VaultId: 1, Depositor: who.addr, Shares: shares})
		require.Eventually(t, func() bool { return balanceOf(t, api, who.addr).Equal(before.Add(value)) },
			20*time.Second, 200*time.Millisecond, "%s withdrew %s", who.name, value)
	}
	require.Equal(t, supply, collateralSupply(t, api), "no collateral created or destroyed")
}
