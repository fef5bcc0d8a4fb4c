/** Turns on the kube-proxy editor features: Service, selector and containerPort hovers and the rules code lens. */
import '../hover/serviceHover';
import '../hover/selectorHover';
import '../hover/containerPortHover';
import '../codelens/proxyRulesLens';
