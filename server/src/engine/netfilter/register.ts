/** Turns on the kube-proxy editor features: Service, targetPort, selector and containerPort hovers and the rules code lens. */
import '../hover/serviceHover';
import '../hover/targetPortHover';
import '../hover/selectorHover';
import '../hover/containerPortHover';
import '../codelens/proxyRulesLens';
