package routing_test

import (
	"sync"
	"testing"

	"minyi"
	"minyi/routing"
)

// TestReplace: a new config is in force for the next call; a bad one changes
// nothing; and routing while another goroutine replaces always sees one
// whole config, never a mix (run with -race).
func TestReplace(t *testing.T) {
	r := newRouter(t, testConfig())
	in := routing.Input{Title: "电梯故障", Body: "小区电梯坏了三天"}
	if got := route(t, r, in); got.Rule != routing.FallbackRule {
		t.Fatalf("before Replace: rule %q, want fallback", got.Rule)
	}
	edited := testConfig()
	edited.Rules = append(edited.Rules, minyi.RoutingRule{Name: "elevator", Priority: 5, Department: "housing", Keywords: []string{"电梯"}})
	if err := r.Replace(edited); err != nil {
		t.Fatal(err)
	}
	if got := route(t, r, in); got.Rule != "elevator" || got.Department != "housing" {
		t.Fatalf("after Replace: %+v, want rule elevator to housing", got)
	}

	bad := edited
	bad.Fallback = "nobody"
	if err := r.Replace(bad); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Fatalf("Replace(bad) = %v, want EINVALID", err)
	}
	if got := route(t, r, in); got.Rule != "elevator" {
		t.Fatalf("a rejected Replace changed routing: %+v", got)
	}

	// Config A routes 电梯 to housing, config B to urban and names urban
	// 市城管局 either way; a message sees A's or B's answer whole.
	a, b := edited, testConfig()
	b.Rules = append(b.Rules, minyi.RoutingRule{Name: "elevator-b", Priority: 5, Department: "urban", Keywords: []string{"电梯"}})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 500; i++ {
			cfg := a
			if i%2 == 1 {
				cfg = b
			}
			if err := r.Replace(cfg); err != nil {
				t.Error(err)
				return
			}
		}
		close(stop)
	}()
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				got, ok := r.Route(in)
				switch {
				case !ok:
					t.Error("no route while replacing")
					return
				case got.Rule == "elevator" && got.Department == "housing",
					got.Rule == "elevator-b" && got.Department == "urban":
				default:
					t.Errorf("mixed routing while replacing: %+v", got)
					return
				}
				if len(r.Directory().Departments()) != len(a.Departments) {
					t.Error("departments changed size")
					return
				}
				r.Directory().DetectRegion("江北区新城街道")
				r.Directory().ByName("市住建局")
			}
		}()
	}
	wg.Wait()
}

// A Directory is one config's: held across a Replace it keeps answering as
// it did, and the Router hands out the new one from then on.
func TestDirectoryOutlivesReplace(t *testing.T) {
	r := newRouter(t, testConfig())
	before := r.Directory()
	renamed := testConfig()
	renamed.Departments[5].Name = "市住房和城乡建设局"
	if err := r.Replace(renamed); err != nil {
		t.Fatal(err)
	}
	if d, ok := before.ByName("市住建局"); !ok || d.ID != "housing" {
		t.Errorf("the directory held from before Replace lost 市住建局: %+v, %v", d, ok)
	}
	if d, ok := r.Directory().ByName("市住房和城乡建设局"); !ok || d.ID != "housing" {
		t.Errorf("the directory in force does not know the new name: %+v, %v", d, ok)
	}
	if _, ok := r.Directory().ByName("市住建局"); ok {
		t.Error("the directory in force still knows the old name")
	}
}
